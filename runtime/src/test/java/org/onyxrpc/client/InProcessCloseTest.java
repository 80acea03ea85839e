package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * An in-process client that closes while its server runs leaves nothing for the server to trip
 * over. Closing the last in-process client stopped the clients' event loops at once, and the
 * server's end of the connection, closing after it on the server's loop, handed its last step to
 * the client's loop that was gone: Netty logged "Releasing Inbound Queues ... because exception
 * occurred!" with a RejectedExecutionException's stack trace, in about one test of five that
 * closed its client first (as try-with-resources does). An in-process server now holds the
 * clients' loops until it is closed.
 */
class InProcessCloseTest {
  private static final Procedure<Void, Void> HOLD =
      new Procedure<>(0x20000779, 1, 1, "Close.hold", XdrCodecs.VOID, XdrCodecs.VOID);

  @Test
  void aClientClosedWhileTheServerIsBusyLeavesNoStackTrace() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ServiceDefinition service = ServiceDefinition.builder(0x20000779, 1)
        .oneway(HOLD, (none, context) -> {
          entered.countDown();
          release.await(); // on the server's in-process loop: its end of the connection waits
          return null;
        })
        .build();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    boolean terminated;
    try (RpcServer server = RpcServer.builder().inProcess("close-while-busy").directExecutor()
        .addService(service).build().start()) {
      try {
        RpcClient client = RpcClient.builder().inProcess("close-while-busy").build();
        EventLoopGroup loops = SharedEventLoops.IN_PROCESS.acquire(); // the client's, held by it
        SharedEventLoops.IN_PROCESS.release(loops);
        client.send(HOLD, null).join();
        entered.await();
        client.close(); // the server's end closes after the procedure returns, on the same loop
        if (SharedEventLoops.IN_PROCESS.users() == 0) {
          loops.terminationFuture().await(); // the server's end then finds the client's loop gone
        }
        terminated = loops.isTerminated();
      } finally {
        release.countDown(); // else the server's close would wait for its loop forever
      }
    } finally {
      System.setErr(stderr);
    }
    String logged = err.toString(StandardCharsets.UTF_8);
    assertFalse(logged.contains("Releasing Inbound Queues"), logged);
    assertFalse(logged.contains("RejectedExecutionException"), logged);
    assertFalse(terminated, "the clients' loops outlive a client while an in-process server runs");
    assertTrue(SharedEventLoops.IN_PROCESS.users() == 0, "a closed server holds no loops");
  }
}
