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

  private final Supplier<CompletableFuture<Boolean>> renew;
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private final CompletableFuture<Void> gone = new CompletableFuture<>();

  /**
   * {@code renew} sends one renewal and completes when it is answered, however: with true when
   * the server said it holds no such handle (it restarted, or the lease ended), which it never
   * will again, so the renewals end.
   */
  LeaseRenewal(Supplier<CompletableFuture<Boolean>> renew) {
    this.renew = renew;
  }

  /**
   * Runs {@code stop} once a renewal finds the handle gone (at once if one did). Before, such a
   * handle, after a server restart, was renewed every third of its lease until closed, and one an
   * application dropped on EBADF to open the queue again, never closed, for the process's life.
   */
  void whenGone(Runnable stop) {
    gone.thenRun(stop);
  }

  /** The wait between renewals of a lease of {@code leaseMillis}: a third of it, leaving room for two lost. */
  static long periodMillis(long leaseMillis) {
    return Math.max(MIN_PERIOD_MILLIS, leaseMillis / 3);
  }

  /** Sends a renewal, unless the last one is still unanswered. */
  @Override
  public void run() {
    if (gone.isDone() || !inFlight.compareAndSet(false, true)) {
      return;
    }
    try {
      renew.get().whenComplete((handleGone, failure) -> {
        if (Boolean.TRUE.equals(handleGone)) {
          gone.complete(null);
        }
        inFlight.set(false);
      });
    } catch (RuntimeException e) {
      inFlight.set(false); // not sent: the next period tries again
    }
  }
}
