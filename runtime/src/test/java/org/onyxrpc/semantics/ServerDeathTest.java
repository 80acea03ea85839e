package org.onyxrpc.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.ManualTimer;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A server that runs a call and then goes away before its reply: whatever the client does next,
 * it never says the call did not run.
 */
class ServerDeathTest {
  private static final Procedure<Long, Long> HOLD =
      new Procedure<>(ExecutionLedger.PROGRAM, 1, 1, "Ledger.hold", XdrCodecs.HYPER, XdrCodecs.HYPER);

  private final CountDownLatch ran = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final RpcServer server;
  private boolean down;

  ServerDeathTest() throws Exception {
    server = TestTransport.server().addService(ServiceDefinition.builder(ExecutionLedger.PROGRAM, 1)
        .procedure(HOLD, (id, ctx) -> {
          ran.countDown();
          release.await(); // no reply before the server is gone
          return id;
        })
        .build()).build().start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    kill();
  }

  private void kill() {
    if (!down) {
      down = true;
      server.shutdown(Duration.ZERO);
    }
  }

  private RpcClient client(Duration deadline, Duration attempt) {
    return TestTransport.client(server).timeout(deadline).attemptTimeout(attempt).build();
  }

  private static RpcStatus statusOf(CompletableFuture<?> call) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES));
    return ((RpcException) e.getCause()).status();
  }

  /** Before: UNAVAILABLE "cannot reach … Connection refused" at the deadline, though it ran. */
  @Test
  void atMostOnceCallThatRanThenLostItsServerIsOutcomeUnknownAtTheRefusedReconnect() throws Exception {
    // A deadline a test run never reaches: only a refused reconnect can settle the call.
    try (RpcClient client = client(Duration.ofMinutes(10), Duration.ofMillis(100))) {
      CompletableFuture<Long> call = client.callAsync(HOLD, 1L);
      assertTrue(ran.await(30, TimeUnit.SECONDS));
      kill();
      RpcException e = (RpcException) assertThrows(ExecutionException.class,
          () -> call.get(1, TimeUnit.MINUTES)).getCause();
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains("may have executed"), e.getMessage());
      assertEquals(1, client.stats().outcomeUnknown());
    }
  }

  /**
   * The call went out once; its retransmission after the lost connection never left, its
   * reconnect refused. Before: "it was sent to … (2 transmissions), …, then Connection refused",
   * counting the attempt that could not connect as sent.
   */
  @Test
  void outcomeUnknownCountsOnlyTheTransmissionsThatLeft() throws Exception {
    // No retransmission on the live connection: the first is due 8 s (±20%) after the call,
    // long after the server has it even on a loaded machine; the one after the lost connection
    // about a second after the loss.
    try (RpcClient client = client(Duration.ofMinutes(10), Duration.ofSeconds(8))) {
      CompletableFuture<Long> call = client.callAsync(HOLD, 1L);
      assertTrue(ran.await(30, TimeUnit.SECONDS));
      kill();
      RpcException e = (RpcException) assertThrows(ExecutionException.class,
          () -> call.get(1, TimeUnit.MINUTES)).getCause();
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.getMessage());
      assertEquals(0, server.stats().duplicatesInProgressDropped(), "a retransmission reached the server");
      assertTrue(e.getMessage().contains("it was sent to " + TestTransport.peer(server) + ", the connection"),
          e.getMessage());
    }
  }

  /** Before: the same lie for an at-least-once call. */
  @Test
  void atLeastOnceCallThatRanThenLostItsServerIsOutcomeUnknown() throws Exception {
    try (RpcClient client = client(Duration.ofMinutes(10), Duration.ofMillis(100))) {
      CompletableFuture<Long> call = client.callAsync(HOLD, 1L,
          CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE));
      assertTrue(ran.await(30, TimeUnit.SECONDS));
      kill();
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, statusOf(call));
    }
  }

  /**
   * The deadline comes before the next transmission, with "connection lost" the last thing
   * known: TIMEOUT, not UNAVAILABLE (before: the client's expiry said UNAVAILABLE).
   */
  @Test
  void callThatRanAndReachesItsDeadlineAfterALostConnectionTimesOut() throws Exception {
    // On a clock of the test's: the call runs, its deadline comes within half a second, then the
    // connection is lost, and the retransmission it arms (at least 0.8 s after the loss) falls
    // past the deadline.
    ManualTimer clock = new ManualTimer();
    try (RpcClient client = clock.timing(TestTransport.client(server)
        .timeout(Duration.ofSeconds(3)).attemptTimeout(Duration.ofMinutes(1))).build()) {
      CompletableFuture<Long> call = client.callAsync(HOLD, 1L);
      assertTrue(ran.await(30, TimeUnit.SECONDS));
      clock.advance(Duration.ofMillis(2500));
      long mark = clock.scheduled();
      kill();
      assertTrue(clock.awaitScheduledAfter(mark, Duration.ofMinutes(1)), "the loss was never seen");
      clock.advance(Duration.ofMillis(600));
      assertEquals(RpcStatus.TIMEOUT, statusOf(call));
    }
  }

  /** Before: UNAVAILABLE, as if a call that reached the server had not. */
  @Test
  void maybeCallOutstandingWhenItsConnectionIsLostIsOutcomeUnknown() throws Exception {
    try (RpcClient client = client(Duration.ofMinutes(10), Duration.ofMillis(100))) {
      CompletableFuture<Long> call = client.callAsync(HOLD, 1L,
          CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE));
      assertTrue(ran.await(30, TimeUnit.SECONDS));
      kill();
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, statusOf(call));
      // The next call never leaves: the server is gone, and that is all it is told.
      RpcException next = assertThrows(RpcException.class, () -> client.call(HOLD, 2L));
      assertEquals(RpcStatus.UNAVAILABLE, next.status());
    }
  }
}
