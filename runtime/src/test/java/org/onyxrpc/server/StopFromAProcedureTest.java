package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.Await;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * An "admin stop" procedure, as RpcServer.shutdown's Javadoc tells it: the close handed to a
 * thread of its own, the procedure returns, and its caller gets the reply before the server
 * stops; a server's shutdown and awaitTermination name a missing timeout.
 */
class StopFromAProcedureTest {
  private static final Procedure<Integer, Integer> STOP =
      new Procedure<>(0x20000299, 1, 1, "Admin.stop", XdrCodecs.INT, XdrCodecs.INT);

  @Test
  void aProcedureThatHandsTheCloseToAThreadIsAnsweredAndTheServerStops() throws Exception {
    AtomicReference<RpcServer> server = new AtomicReference<>();
    ServiceDefinition admin = ServiceDefinition.builder(0x20000299, 1)
        .procedure(STOP, (n, ctx) -> {
          new Thread(server.get()::close, "admin-stop").start();
          return n;
        })
        .build();
    server.set(RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .addService(admin).build().start());
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.get().port()).build()) {
      assertEquals(7, client.call(STOP, 7));
    }
    assertTrue(server.get().awaitTermination(Duration.ofMinutes(1)), "stopped");
  }

  /**
   * A second shutdown (a try-with-resources beside a shutdown hook's) while the first waits for a
   * call waits for that shutdown to end. Before, it returned at once, the server still draining
   * with its threads and connections open.
   */
  @Test
  void aSecondShutdownWaitsForTheFirst() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .addService(ServiceDefinition.builder(0x20000299, 1).procedure(STOP, (n, ctx) -> {
          running.countDown();
          gate.await();
          return n;
        }).build())
        .build().start();
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      CompletableFuture<Integer> call = client.callAsync(STOP, 7);
      running.await();
      Thread first = new Thread(() -> server.shutdown(Duration.ofMinutes(1)), "first-shutdown");
      first.start();
      Await.until(server::draining);
      CompletableFuture<Boolean> second =
          CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofMinutes(1)));
      gate.countDown();
      assertEquals(7, call.get());
      assertTrue(second.get(), "the second shutdown saw every call finish");
      assertTrue(server.awaitTermination(Duration.ZERO), "terminated when the second shutdown returned");
      first.join();
    }
  }

  @Test
  void aMissingTimeoutIsNamed() {
    RpcServer server = RpcServer.builder().directory(Directory.none())
        .addService(ServiceDefinition.builder(0x20000299, 1).procedure(STOP, (n, ctx) -> n).build())
        .build();
    assertEquals("timeout", assertThrows(NullPointerException.class, () -> server.shutdown(null)).getMessage());
    assertEquals("timeout",
        assertThrows(NullPointerException.class, () -> server.awaitTermination(null)).getMessage());
    server.close();
  }
}
