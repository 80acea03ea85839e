package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.TestTransport;

/**
 * {@code maxConcurrentCalls}: procedures that block (a database call) run as many at once as
 * the server is told, on its own pool or on the caller's. Before, the server ran at most
 * max(16, 4 × processors) whatever the pool, one connection's calls on half of them, and
 * nothing raised it: a user's pool of 200 threads ran 16 calls, one client's 8.
 */
@ExtendWith(LeakDetection.class)
class MaxConcurrentCallsTest {
  /** Twice the default, so one connection may run as many calls as the default runs in all. */
  private final int calls = 2 * ServerDefaults.defaultThreads();
  private final int perConnection = calls / 2;

  @Test
  void oneConnectionRunsHalfOfWhatTheServerIsToldOnItsOwnPool() throws Exception {
    TestService service = new TestService();
    RpcServer server = TestTransport.server().maxConcurrentCalls(calls)
        .addService(service.definition()).build().start();
    holdAsManyAsAllowed(server, service);
  }

  @Test
  void oneConnectionRunsHalfOfWhatTheServerIsToldOnTheCallersPool() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls);
    try {
      TestService service = new TestService();
      RpcServer server = TestTransport.server().executor(pool).maxConcurrentCalls(calls)
          .addService(service.definition()).build().start();
      holdAsManyAsAllowed(server, service);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aLimitUnderOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().maxConcurrentCalls(0));
  }

  /** One connection's blocking calls all run at once (before: half of the default did). */
  private void holdAsManyAsAllowed(RpcServer server, TestService service) throws Exception {
    try {
      List<CompletableFuture<Integer>> held = new ArrayList<>();
      try (RpcClient client = TestTransport.client(server).timeout(Duration.ofMinutes(1)).build()) {
        for (int i = 0; i < perConnection; i++) {
          held.add(client.callAsync(TestService.HOLD, i));
        }
        Await.until(() -> service.holding.get() == perConnection, Duration.ofSeconds(30));
        service.gate.countDown();
        for (int i = 0; i < perConnection; i++) {
          assertEquals(i, held.get(i).get(1, TimeUnit.MINUTES)); // every reply read before the close
        }
      }
    } finally {
      service.gate.countDown();
      server.close();
    }
  }
}
