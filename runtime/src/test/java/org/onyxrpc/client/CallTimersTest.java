package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.TestService;

/**
 * Deadlines and retransmissions keep the client's clock, one timer per call: a test moves the
 * clock instead of sleeping through the timeouts.
 */
class CallTimersTest {
  private final TestService service = new TestService();
  private final ManualTimer clock = new ManualTimer();
  private RpcServer server;
  private RpcClient client;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().addService(service.definition()).build().start();
    client = RpcClient.builder().address("127.0.0.1", server.port()).timer(clock)
        .timeout(Duration.ofSeconds(100)).attemptTimeout(Duration.ofSeconds(1)).build();
  }

  @AfterEach
  void stop() {
    service.gate.countDown();
    client.close();
    server.close();
  }

  /**
   * Waits for something the client does once the clock has moved, running the timers that fell
   * due meanwhile: a timer that read the clock mid-advance, before its call's time, sets itself
   * again, possibly once the advance is over, for a time the clock has passed already.
   */
  private static void awaitOnTheClock(ManualTimer clock, BooleanSupplier condition) {
    Await.until(() -> {
      clock.advance(Duration.ZERO);
      return condition.getAsBoolean();
    });
  }

  @Test
  void aCallExpiresWhenItsDeadlineComesOnTheClock() throws Exception {
    CompletableFuture<Integer> call = client.callAsync(TestService.HOLD, 1,
        CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE));
    Await.until(() -> server.stats().calls() == 1); // at the server, which holds it
    clock.advance(Duration.ofSeconds(99));
    assertFalse(call.isDone());
    clock.advance(Duration.ofSeconds(1));
    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES));
    assertEquals(RpcStatus.TIMEOUT, ((RpcException) e.getCause()).status());
    assertEquals(1, client.stats().timeouts());
  }

  @Test
  void retransmissionsFollowTheClockAndBackOff() {
    CompletableFuture<Integer> call = client.callAsync(TestService.HOLD, 1); // at most once
    Await.until(() -> server.stats().calls() == 2); // the NULL ping, then the call
    clock.advance(Duration.ofMillis(1_250)); // the first wait: 1 s, ±20%
    // Retransmitted, and its timer set again: the clock may move on. The timer fired at its own
    // time, 0.8 to 1.2 s in; the second wait, twice as long, ends 2.4 to 3.6 s in.
    awaitOnTheClock(clock, () -> client.stats().retransmissions() == 1 && clock.pending() == 1);
    clock.advance(Duration.ofMillis(1_100)); // 2.35 s in: not yet
    assertEquals(1, client.stats().retransmissions());
    clock.advance(Duration.ofMillis(1_300)); // 3.65 s in
    awaitOnTheClock(clock, () -> client.stats().retransmissions() == 2);
    assertFalse(call.isDone());
    service.gate.countDown();
    assertEquals(1, call.join());
  }

  @Test
  void theDeadlineBoundsEveryAttemptTogether() throws Exception {
    ManualTimer time = new ManualTimer();
    try (RpcClient hasty = RpcClient.builder().address("127.0.0.1", server.port()).timer(time)
        .timeout(Duration.ofMillis(400)).attemptTimeout(Duration.ofMillis(40)).build()) {
      CompletableFuture<Integer> call = hasty.callAsync(TestService.HOLD, 1); // at most once
      Await.until(() -> server.stats().calls() == 2); // the NULL ping, then the call
      Await.until(() -> time.pending() == 1);
      // Each wait is twice the one before, ±20%: 32–48 ms, then 64–96, 128–192, 256–384. The
      // clock stops where a wait has surely ended; the next one starts where the retransmission
      // read the clock, at the timer's own time or later.
      time.advance(Duration.ofMillis(31));
      assertEquals(0, hasty.stats().retransmissions());
      time.advance(Duration.ofMillis(17)); // 48 ms in
      awaitOnTheClock(time, () -> hasty.stats().retransmissions() == 1 && time.pending() == 1);
      time.advance(Duration.ofMillis(96)); // 144 ms in
      awaitOnTheClock(time, () -> hasty.stats().retransmissions() == 2 && time.pending() == 1);
      time.advance(Duration.ofMillis(192)); // 336 ms in
      awaitOnTheClock(time, () -> hasty.stats().retransmissions() == 3 && time.pending() == 1);
      // The fourth wait would end 480 ms in at the soonest: the deadline comes first, and ends
      // the call however many attempts it had.
      time.advance(Duration.ofMillis(63)); // 399 ms in
      assertFalse(call.isDone());
      time.advance(Duration.ofMillis(1));
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES));
      RpcException cause = (RpcException) e.getCause();
      assertEquals(RpcStatus.TIMEOUT, cause.status());
      assertEquals("no reply from tcp 127.0.0.1:" + server.port() + " to Test.hold (program"
          + " 0x20000101 version 1 procedure 10) within 400 ms (4 transmissions)",
          cause.getMessage());
      assertEquals(3, hasty.stats().retransmissions());
      // Every retransmission went out: the server dropped each, the call still running.
      Await.until(() -> server.stats().duplicatesInProgressDropped() == 3);
    }
  }

  @Test
  void anAnsweredCallLeavesNoTimerBehind() {
    for (int i = 0; i < 100; i++) {
      assertEquals(3, client.callAsync(TestService.ADD, new TestService.Pair(1, 2)).join());
    }
    // The ping's and the calls' timers were cancelled with their replies: an idle client keeps none.
    Await.until(() -> clock.pending() == 0);
  }

  /**
   * A call told to stop (as a cancelled mq open is) is sent no more, but is not forgotten: the
   * reply of the transmission that reached the server still completes it.
   */
  @Test
  void aCallToldToStopRetransmittingIsSentNoMoreAndTakesItsReply() {
    CompletableFuture<Integer> call = client.callAsync(TestService.HOLD, 1); // at most once
    Await.until(() -> server.stats().calls() == 2); // the NULL ping, then the call
    Await.until(() -> clock.pending() == 1); // the ping's timer gone with its reply; the call's set
    assertTrue(client.stopRetransmitting(call));
    clock.advance(Duration.ofSeconds(30)); // past several retransmissions, short of the deadline
    awaitOnTheClock(clock, () -> clock.pending() == 1); // its timer set again, for the deadline
    assertEquals(0, client.stats().retransmissions());
    assertFalse(call.isDone());
    service.gate.countDown();
    assertEquals(1, call.join());
    assertFalse(client.stopRetransmitting(call), "done");
    assertFalse(client.stopRetransmitting(new CompletableFuture<>()), "not this client's");
  }

  @Test
  void aCancelledCallLeavesNoTimerAndIsNeverSentAgain() {
    CompletableFuture<Integer> call = client.callAsync(TestService.HOLD, 1); // at most once
    Await.until(() -> server.stats().calls() == 2); // the NULL ping, then the call
    Await.until(() -> clock.pending() == 1); // the ping's timer gone with its reply; the call's set
    assertTrue(call.cancel(true));
    assertEquals(0, clock.pending(), "its timer went with it");
    clock.advance(Duration.ofSeconds(200)); // past every retransmission and the deadline
    assertEquals(0, client.stats().retransmissions());
    assertEquals(0, client.stats().timeouts());
    assertEquals(2, server.stats().calls());
    assertTrue(call.isCancelled());
  }
}
