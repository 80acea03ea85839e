package org.onyxrpc.client;

import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sets each call's one timer, for its next retransmission or its deadline, whichever is first.
 * A timer's thread only hands the call to the client's {@link CallOwner}, which alone arms,
 * retransmits and expires; a reply cancels the timer ({@link PendingCall#complete}).
 *
 * <p>With the real clock, a call whose time is more than {@link #DEFER_NANOS} away gets no timer
 * at first: it is put on a short list that one sweep looks at {@link #DEFER_NANOS} later, arming
 * only the calls still unanswered then. Most calls are answered long before their deadline, and a
 * wheel timer per call cost a timeout, two queue hand-offs to the timer's thread and its work
 * there (about a tenth of the CPU of 64 calls outstanding on one connection). A deferred call's
 * timer fires at its time all the same: it is set at least {@link #DEFER_NANOS} before it, late
 * only by the wheel's own tick when the sweep is. A manual clock arms every call at once, so
 * tests that step it see each timer as it is set.
 */
final class CallArming {
  /** A retransmission waits at most this many attempt timeouts. */
  private static final int MAX_BACKOFF_FACTOR = 16;
  /** The longest first wait of a lost connection's calls before they go again. */
  private static final long LONGEST_RECONNECT_BASE_NANOS = 1_000_000_000L;
  /** How long a call may go without a timer of its own: several of the wheel's ticks. */
  static final long DEFER_NANOS = 20_000_000L;
  /**
   * The most calls listed for a sweep: when full, the answered ones are dropped, and if most are
   * unanswered they are armed at once (memory bounded, each call looked at O(1) times).
   */
  static final int MAX_DEFERRED = 1024;
  /**
   * A listed call's timer: no timer of its own yet, only the sweep's. A mark in the timer's field,
   * not a flag beside it, so that a call stays 88 bytes (a flag made it 96).
   */
  static final Timeout LISTED = new Listed();

  private final CallTimer timer;
  private final CallOwner owner;
  private final boolean defers;
  private final Runnable sweep = this::sweep;
  private final TimerTask sweepDue;
  // The owner's alone. A call may be listed twice (deferred, armed, deferred again): its timer
  // being LISTED says whether it still waits, so a sweep arms it once.
  private PendingCall<?, ?>[] deferred = new PendingCall<?, ?>[16];
  private int deferredCount;
  private boolean sweepSet;

  /**
   * With {@code defers} (a real clock), calls due later than {@link #DEFER_NANOS} are armed by a
   * sweep that runs on {@code owner}.
   */
  CallArming(CallTimer timer, CallOwner owner, boolean defers) {
    this.timer = timer;
    this.owner = owner;
    this.defers = defers;
    this.sweepDue = t -> owner.execute(sweep);
  }

  /** On the owner: sets the call's timer (or, due later, lists it for the next sweep). */
  void arm(PendingCall<?, ?> call) {
    arm(call, timer.nanoTime());
  }

  /** As {@link #arm(PendingCall)}, {@code now} being the clock as the owner just read it. */
  void arm(PendingCall<?, ?> call, long now) {
    long delay = dueAt(call) - now;
    if (defers && delay > DEFER_NANOS) {
      defer(call);
      return;
    }
    set(call, delay);
  }

  /** On the owner: the call's timer is set again, for a time that moved sooner. */
  void rearm(PendingCall<?, ?> call) {
    if (!call.isDone()) {
      Timeout previous = call.timer;
      if (previous != null) {
        previous.cancel();
      }
      arm(call);
    }
  }

  /** Calls listed for the next sweep (tests). */
  int deferred() {
    return deferredCount;
  }

  private static long dueAt(PendingCall<?, ?> call) {
    return call.retransmits() && call.retry.nextAttemptNanos - call.deadlineNanos < 0
        ? call.retry.nextAttemptNanos : call.deadlineNanos;
  }

  private void set(PendingCall<?, ?> call, long delayNanos) {
    Timeout t = timer.schedule(call, delayNanos);
    call.timer = t;
    if (call.isDone()) {
      t.cancel(); // answered meanwhile, after its completion looked for a timer to cancel
    }
  }

  private void defer(PendingCall<?, ?> call) {
    if (call.timer != LISTED) {
      if (deferredCount == deferred.length) {
        if (deferred.length < MAX_DEFERRED) {
          deferred = Arrays.copyOf(deferred, deferred.length * 2);
        } else if (compact() > MAX_DEFERRED / 2) {
          armDeferred(); // mostly unanswered: they get their timers now, and the list empties
        }
      }
      deferred[deferredCount++] = call;
      call.timer = LISTED;
    }
    if (!sweepSet) {
      sweepSet = true;
      timer.schedule(sweepDue, DEFER_NANOS);
    }
  }

  /**
   * Drops the answered calls from the full list, keeping the others' order; the sweep already set
   * is still due for them. Returns how many are left.
   */
  private int compact() {
    int kept = 0;
    for (int i = 0; i < deferredCount; i++) {
      PendingCall<?, ?> call = deferred[i];
      deferred[i] = null;
      if (call.timer == LISTED && !call.isDone()) {
        deferred[kept++] = call;
      }
    }
    deferredCount = kept;
    return kept;
  }

  /** On the owner, {@link #DEFER_NANOS} after a call was first listed. */
  private void sweep() {
    sweepSet = false;
    armDeferred();
  }

  private void armDeferred() {
    int n = deferredCount;
    deferredCount = 0;
    for (int i = 0; i < n; i++) {
      PendingCall<?, ?> call = deferred[i];
      deferred[i] = null;
      if (call.timer == LISTED) {
        call.timer = null;
        if (!call.isDone()) {
          set(call, dueAt(call) - timer.nanoTime());
        }
      }
    }
  }

  /**
   * How long a retransmitting call whose connection was lost, or could not be made, waits before
   * it goes again on a new one: a quarter of its attempt timeout, at most a second, backed off as
   * {@link #backoff}. The attempt timeout is how long a server may take to answer, not how soon
   * it may be back: with a long one (a long poll's), a quarter of it kept a caller waiting 15 s
   * after its server had gone to learn that nothing listened any more.
   */
  static long reconnectBackoff(long attemptTimeoutNanos, int attempt) {
    return backoff(Math.min(attemptTimeoutNanos / 4, LONGEST_RECONNECT_BASE_NANOS), attempt);
  }

  /** How long attempt {@code n} waits: base × 2^(n-1), at most 16 × base, jittered ±20%. */
  static long backoff(long base, int attempt) {
    long factor = 1L << Math.min(attempt - 1, 4);
    long wait = base * Math.min(factor, MAX_BACKOFF_FACTOR);
    return (long) (wait * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
  }

  /** Whether {@code call} has a timer of its own (neither none nor only the sweep's). */
  static boolean hasTimer(PendingCall<?, ?> call) {
    Timeout t = call.timer;
    return t != null && t != LISTED;
  }

  /** {@link #LISTED}: a timeout of no timer, whose cancel does nothing. */
  private static final class Listed implements Timeout {
    @Override
    public io.netty.util.Timer timer() {
      return null;
    }

    @Override
    public TimerTask task() {
      return null;
    }

    @Override
    public boolean isExpired() {
      return false;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean cancel() {
      return false;
    }
  }
}
