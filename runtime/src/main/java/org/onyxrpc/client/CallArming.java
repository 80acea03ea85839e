package org.onyxrpc.client;

import io.netty.util.Timeout;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sets each call's one timer, for its next retransmission or its deadline, whichever is first.
 * A timer's thread only hands the call to the client's {@link CallOwner}, which alone arms,
 * retransmits and expires; a reply cancels the timer ({@link PendingCall#complete}).
 */
final class CallArming {
  /** A retransmission waits at most this many attempt timeouts. */
  private static final int MAX_BACKOFF_FACTOR = 16;

  private final CallTimer timer;

  CallArming(CallTimer timer) {
    this.timer = timer;
  }

  /** On the owner: sets the call's timer. */
  void arm(PendingCall<?, ?> call) {
    long at = call.retransmits() && call.retry.nextAttemptNanos - call.deadlineNanos < 0
        ? call.retry.nextAttemptNanos : call.deadlineNanos;
    Timeout t = timer.schedule(call, at - timer.nanoTime());
    call.timer = t;
    if (call.isDone()) {
      t.cancel(); // answered meanwhile, after its completion looked for a timer to cancel
    }
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

  /** How long attempt {@code n} waits: base × 2^(n-1), at most 16 × base, jittered ±20%. */
  static long backoff(long base, int attempt) {
    long factor = 1L << Math.min(attempt - 1, 4);
    long wait = base * Math.min(factor, MAX_BACKOFF_FACTOR);
    return (long) (wait * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
  }
}
