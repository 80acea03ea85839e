package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.FaultProxy;
import org.onyxrpc.transport.Transport;

/**
 * An Onyx server built with {@code noDuplicateRequestCache} tags its replies as any Onyx server
 * does, but filters no duplicates: its tag says so, and an Onyx client's at-most-once calls to it
 * go once, as to a C server. Before, the tag alone told the client that its server filters
 * duplicates, and a slow at-most-once call over UDP ran once per transmission.
 */
class ServerWithoutDuplicateFilteringTest {
  private static final CallOptions AT_MOST_ONCE =
      CallOptions.DEFAULT.withSemantics(CallSemantics.AT_MOST_ONCE);

  /** Runs started: counted as each begins, so a duplicate still running counts too. */
  private final AtomicInteger started = new AtomicInteger();

  private ServiceDefinition counting() {
    return ServiceDefinition.builder(InteropProgram.PROGRAM, InteropProgram.VERSION)
        .procedure(InteropProgram.COUNT_RUNS, (delayMs, ctx) -> {
          int run = started.incrementAndGet();
          Thread.sleep(delayMs); // the slow call that a 200 ms attempt timeout retransmits
          return run;
        })
        .procedure(InteropProgram.GREET, (who, ctx) -> "hello, " + who)
        .build();
  }

  @Test
  void atMostOnceCallsToAServerWithoutACacheRunOnce() throws Exception {
    try (RpcServer server = RpcServer.builder()
            .bind(InetAddress.getLoopbackAddress(), 0)
            .transports(Transport.UDP)
            .noDuplicateRequestCache()
            .addService(counting())
            .build()
            .start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .transport(Transport.UDP).timeout(Duration.ofSeconds(30))
            .attemptTimeout(Duration.ofMillis(200)).build()) {
      assertEquals(1, client.call(InteropProgram.COUNT_RUNS, 1000, AT_MOST_ONCE));
      assertEquals("hello, onyx", client.call(InteropProgram.GREET, "onyx")); // behind them all
      assertEquals(1, started.get(), () -> "the slow call ran once, not once per transmission: "
          + client.stats());
      assertEquals(0, client.stats().retransmissions(), client.stats()::toString);
    }
  }

  /** At least once, the same server is sent the call again: that is what it promises. */
  @Test
  void atLeastOnceCallsAreStillRetransmitted() throws Exception {
    try (RpcServer server = RpcServer.builder()
            .bind(InetAddress.getLoopbackAddress(), 0)
            .transports(Transport.UDP)
            .noDuplicateRequestCache()
            .addService(InteropService.definition())
            .build()
            .start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .transport(Transport.UDP).timeout(Duration.ofSeconds(30))
            .attemptTimeout(Duration.ofMillis(200)).build()) {
      client.call(InteropProgram.COUNT_RUNS, 1000,
          CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE));
      assertTrue(client.stats().retransmissions() > 0, client.stats()::toString);
    }
  }

  /**
   * Over TCP, an at-most-once call whose connection was lost while the server ran it ends
   * OUTCOME_UNKNOWN rather than going again on a new connection: the server would run it again.
   * Before, the client asked the server there with a tagged NULL ping, took its tagged answer for
   * a cache, and sent the call again: it ran twice and was told a success.
   */
  @Test
  void anAtMostOnceCallLostWithItsConnectionIsNotSentAgain() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ServiceDefinition blocking = ServiceDefinition.builder(InteropProgram.PROGRAM, InteropProgram.VERSION)
        .procedure(InteropProgram.COUNT_RUNS, (delayMs, ctx) -> {
          int run = started.incrementAndGet();
          running.countDown();
          if (run == 1) {
            release.await(); // until the test ends: its connection is lost meanwhile
          }
          return run;
        })
        .procedure(InteropProgram.GREET, (who, ctx) -> "hello, " + who)
        .build();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .noDuplicateRequestCache().addService(blocking).build().start();
        FaultProxy proxy = new FaultProxy(server.port(), FaultProxy.Faults.NONE, 1);
        RpcClient client = RpcClient.builder().address("127.0.0.1", proxy.port())
            .timeout(Duration.ofSeconds(30)).build()) {
      try {
        assertEquals("hello, onyx", client.call(InteropProgram.GREET, "onyx"));
        CompletableFuture<Integer> lost = client.callAsync(InteropProgram.COUNT_RUNS, 0, AT_MOST_ONCE);
        assertTrue(running.await(30, TimeUnit.SECONDS), "the server runs the call");
        proxy.resetAll();
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> lost.get(30, TimeUnit.SECONDS));
        RpcException failure = (RpcException) e.getCause();
        assertEquals(RpcStatus.OUTCOME_UNKNOWN, failure.status(), failure::toString);
        assertEquals("hello, again", client.call(InteropProgram.GREET, "again"));
        assertEquals(1, started.get(), "the lost call ran once");
      } finally {
        release.countDown();
      }
    }
  }
}
