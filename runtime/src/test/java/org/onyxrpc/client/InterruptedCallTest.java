package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.TestTransport;

/**
 * A sync caller interrupted while it waits (an executor's shutdownNow, a structured task's
 * cancellation, a virtual thread's as a platform thread's): what RpcStatus.CANCELLED promises.
 */
class InterruptedCallTest {
  private static final TestService SERVICE = new TestService();
  private static RpcServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestTransport.server().addService(SERVICE.definition()).build().start();
  }

  @AfterAll
  static void stop() {
    SERVICE.gate.countDown();
    server.close();
  }

  /**
   * The call is running on the server when its caller is interrupted: the caller gets CANCELLED
   * at once, whose message names the server and says the procedure may have run, its thread
   * still interrupted; the reply that comes later is dropped and counted, and the client serves
   * on. Before, the message was "Test.hold (program … procedure 10) interrupted": neither where
   * the call went nor whether it may have run.
   */
  @Test
  void anInterruptedCallerIsToldTheServerAndThatTheCallMayHaveRun() throws Exception {
    try (RpcClient client = TestTransport.client(server).build()) {
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicBoolean stillInterrupted = new AtomicBoolean();
      Thread caller = new Thread(() -> {
        try {
          client.call(TestService.HOLD, 7);
        } catch (Throwable t) {
          thrown.set(t);
          stillInterrupted.set(Thread.currentThread().isInterrupted());
        }
      }, "interrupted-caller");
      caller.start();
      Await.until(() -> SERVICE.holding.get() == 1); // running on the server
      caller.interrupt();
      caller.join(TimeUnit.MINUTES.toMillis(1));
      assertFalse(caller.isAlive(), "the interrupted caller still waits");
      RpcException e = (RpcException) thrown.get();
      assertEquals(RpcStatus.CANCELLED, e.status(), String.valueOf(e));
      String server = client.toString().replaceAll("^RpcClient\\[|(, TLS)?]$", "");
      assertEquals("Test.hold (program 0x20000101 version 1 procedure 10) to " + server
          + " interrupted while waiting for its reply; it may have run", e.getMessage());
      assertTrue(stillInterrupted.get(), "the caller's interrupt is kept");

      SERVICE.gate.countDown(); // the reply comes now, to a call its caller gave up
      Await.until(() -> client.stats().lateReplies() == 1);
      assertEquals(5, client.call(TestService.ADD, new TestService.Pair(2, 3)));
    }
  }
}
