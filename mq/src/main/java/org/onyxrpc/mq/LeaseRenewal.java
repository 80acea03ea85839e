package org.onyxrpc.mq;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One open handle's lease renewal, run by {@link KeepAlive}: a call on the handle every third of
 * the lease the server granted, but never more often than every {@value #MIN_PERIOD_MILLIS} ms
 * and never while the last renewal is unanswered. The lease is the server's word: a server that
 * grants 1 ms, 0 or a negative lease, and does not answer, would otherwise have the client send a
 * call every millisecond and keep each pending until its deadline.
 */
final class LeaseRenewal implements Runnable {
  /** The shortest wait between renewals, whatever the lease. */
  static final long MIN_PERIOD_MILLIS = 100;

  private final Supplier<CompletableFuture<?>> renew;
  private final AtomicBoolean inFlight = new AtomicBoolean();

  /** {@code renew} sends one renewal and completes when it is answered, however. */
  LeaseRenewal(Supplier<CompletableFuture<?>> renew) {
    this.renew = renew;
  }

  /** The wait between renewals of a lease of {@code leaseMillis}: a third of it, leaving room for two lost. */
  static long periodMillis(long leaseMillis) {
    return Math.max(MIN_PERIOD_MILLIS, leaseMillis / 3);
  }

  /** Sends a renewal, unless the last one is still unanswered. */
  @Override
  public void run() {
    if (!inFlight.compareAndSet(false, true)) {
      return;
    }
    try {
      renew.get().whenComplete((result, failure) -> inFlight.set(false));
    } catch (RuntimeException e) {
      inFlight.set(false); // not sent: the next period tries again
    }
  }
}
