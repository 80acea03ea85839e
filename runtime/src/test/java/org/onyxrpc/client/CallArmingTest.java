package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A deferring {@link CallArming} (the real clock's): a call due later than its grace gets no
 * timer until a sweep finds it unanswered, then one set for its own time; an answered call never
 * had one. Driven here by a manual clock and an owner that runs tasks at once.
 */
class CallArmingTest {
  private static final Procedure<Integer, Integer> P =
      new Procedure<>(0x20000403, 1, 1, "Arming.p", XdrCodecs.INT, XdrCodecs.INT);
  private static final Duration GRACE = Duration.ofNanos(CallArming.DEFER_NANOS);

  private final ManualTimer clock = new ManualTimer();
  private final List<Long> dueAt = new ArrayList<>();
  private final CallOwner owner = new DrainingOwner();
  private final CallSteps steps = new CallSteps() {
    @Override
    public CallOwner owner() {
      return owner;
    }

    @Override
    public void next(PendingCall<?, ?> call) {
      dueAt.add(clock.nanoTime());
    }

    @Override
    public void forget(PendingCall<?, ?> call) {
    }
  };
  private final CallArming arming = new CallArming(clock, owner, true);
  private int xid;

  private PendingCall<Integer, Integer> call(Duration budget) {
    return new PendingCall<>(steps, ++xid, P, 1, CallSemantics.MAYBE, clock.nanoTime(),
        budget.toNanos(), budget.toNanos(), true, null);
  }

  private void onOwner(Runnable r) {
    owner.execute(r);
  }

  @Test
  void anAnsweredCallDueLaterNeverHasATimer() {
    PendingCall<Integer, Integer> call = call(Duration.ofSeconds(25));
    onOwner(() -> arming.arm(call));
    assertFalse(CallArming.hasTimer(call), "no timer of its own yet");
    assertEquals(1, clock.pending(), "only the sweep's");
    call.settle(5);
    clock.advance(GRACE);
    assertFalse(CallArming.hasTimer(call));
    assertEquals(0, clock.pending(), "nothing left set once the sweep ran");
    assertEquals(0, arming.deferred());
  }

  @Test
  void anUnansweredCallIsArmedByTheSweepForItsOwnTime() {
    PendingCall<Integer, Integer> call = call(Duration.ofSeconds(25));
    long deadline = call.deadlineNanos;
    onOwner(() -> arming.arm(call));
    clock.advance(GRACE);
    assertTrue(CallArming.hasTimer(call), "armed by the sweep");
    clock.advance(Duration.ofSeconds(25).minus(GRACE).minusNanos(1));
    assertEquals(List.of(), dueAt, "not due before its deadline");
    clock.advance(Duration.ofNanos(1));
    assertEquals(List.of(deadline), dueAt, "due at its deadline exactly");
  }

  @Test
  void aCallDueWithinTheGraceIsArmedAtOnce() {
    PendingCall<Integer, Integer> call = call(GRACE);
    onOwner(() -> arming.arm(call));
    assertTrue(CallArming.hasTimer(call));
    assertEquals(0, arming.deferred());
    clock.advance(GRACE);
    assertEquals(List.of(call.deadlineNanos), dueAt);
  }

  @Test
  void aCallArmedSoonerWhileListedIsArmedOnce() {
    PendingCall<Integer, Integer> call = new PendingCall<>(steps, ++xid, P, 1,
        CallSemantics.AT_LEAST_ONCE, clock.nanoTime(), Duration.ofSeconds(25).toNanos(),
        Duration.ofSeconds(1).toNanos(), true, null);
    call.retry.mayRetransmit = true;
    call.retry.nextAttemptNanos = clock.nanoTime() + Duration.ofSeconds(10).toNanos();
    onOwner(() -> arming.arm(call));
    call.retry.nextAttemptNanos = clock.nanoTime() + GRACE.toNanos() / 2;
    onOwner(() -> arming.rearm(call)); // now due within the grace: a timer at once
    call.retry.nextAttemptNanos = clock.nanoTime() + Duration.ofSeconds(10).toNanos();
    onOwner(() -> arming.arm(call)); // and later again (as after a retransmission): listed twice
    clock.advance(GRACE);
    assertEquals(1, dueAt.size(), "the timer set within the grace fired, once");
    assertEquals(1, clock.pending(), "the sweep armed the listed call once, for 10 s");
  }

  @Test
  void aFullListOfAnsweredCallsIsCompactedWithoutTimers() {
    List<PendingCall<Integer, Integer>> calls = new ArrayList<>();
    for (int i = 0; i < CallArming.MAX_DEFERRED + 1; i++) {
      PendingCall<Integer, Integer> call = call(Duration.ofSeconds(25));
      calls.add(call);
      onOwner(() -> arming.arm(call));
      if (i % 100 != 0) {
        call.settle(i); // as under load: answered within microseconds
      }
    }
    assertEquals(CallArming.MAX_DEFERRED / 100 + 2, arming.deferred(),
        "the unanswered ones kept, and the last");
    assertEquals(1, clock.pending(), "only the sweep's timer");
    clock.advance(GRACE);
    for (int i = 0; i < calls.size(); i++) {
      assertEquals(i % 100 == 0, CallArming.hasTimer(calls.get(i)), "call " + i);
    }
    assertEquals(0, arming.deferred());
  }

  @Test
  void aFullListOfMostlyUnansweredCallsArmsThemAtOnce() {
    List<PendingCall<Integer, Integer>> calls = new ArrayList<>();
    for (int i = 0; i < CallArming.MAX_DEFERRED + 1; i++) {
      PendingCall<Integer, Integer> call = call(Duration.ofSeconds(25));
      calls.add(call);
      onOwner(() -> arming.arm(call));
    }
    assertEquals(1, arming.deferred(), "the list was emptied for the last one");
    for (int i = 0; i < CallArming.MAX_DEFERRED; i++) {
      assertTrue(CallArming.hasTimer(calls.get(i)), "call " + i);
    }
    assertEquals(CallArming.MAX_DEFERRED + 1, clock.pending(), "theirs and the sweep's");
  }
}
