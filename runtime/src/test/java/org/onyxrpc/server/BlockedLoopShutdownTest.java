package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.TestService;

/**
 * A procedure that blocks under {@code directExecutor()} holds the I/O thread that read its call.
 * {@code close()} still ends: it waits its shutdown timeout for the call, then closes what it
 * can and leaves the blocked thread, rather than waiting for that thread without end.
 */
class BlockedLoopShutdownTest {
  @Test
  void closeEndsWhileADirectProcedureBlocksItsIoThread() throws Exception {
    TestService service = new TestService();
    RpcServer server = RpcServer.builder().port(0).directExecutor().ioThreads(1)
        .shutdownTimeout(Duration.ofMillis(200)).addService(service.definition()).build().start();
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
        .timeout(Duration.ofMinutes(1)).build()) {
      client.callAsync(TestService.HOLD, 1);
      Await.until(() -> service.holding.get() == 1);
      CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close);
      try {
        closed.get(30, TimeUnit.SECONDS);
      } finally {
        service.gate.countDown();
      }
      assertTrue(server.awaitTermination(Duration.ofSeconds(30)));
    } finally {
      service.gate.countDown();
      server.close();
    }
  }
}
