package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.testing.TestService;

/**
 * A {@code main} that only serves waits in {@link RpcServer#awaitTermination()}: Onyx's threads
 * are daemons, so without it the JVM ends, and the server with it, as soon as {@code main}
 * returns. It returns once the server is closed, by another thread or a shutdown hook.
 */
class AwaitTerminationTest {
  @Test
  void waitsWhileTheServerServesAndReturnsOnceItIsClosed() throws Exception {
    RpcServer server = RpcServer.builder().port(0).directory(Directory.none())
        .addService(new TestService().definition()).build().start();
    CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
      try {
        server.awaitTermination();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      assertEquals(5, client.call(TestService.ADD, new TestService.Pair(2, 3)));
    }
    assertFalse(server.awaitTermination(Duration.ZERO), "still serving");
    assertFalse(serving.isDone(), "awaitTermination returned while the server serves");

    server.close();
    serving.get(1, TimeUnit.MINUTES);
    assertTrue(server.awaitTermination(Duration.ZERO));
  }

  @Test
  void aServerNeverStartedHasTerminatedOnceClosed() throws Exception {
    RpcServer server = RpcServer.builder().port(0).directory(Directory.none())
        .addService(new TestService().definition()).build();
    server.close();
    assertTrue(server.awaitTermination(Duration.ZERO));
  }
}
