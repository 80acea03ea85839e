package org.onyxrpc.mq;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Renews open handles' leases: one daemon thread for every {@link MessageQueue} of the process,
 * started with the first open handle and stopped when the last one closes. A renewal only sends
 * an asynchronous call, so the thread never waits on the network.
 */
final class KeepAlive {
  private static ScheduledExecutorService timer;
  private static int users;

  private KeepAlive() {}

  /** Runs {@code renew} every {@code periodMillis} until the returned task is given to {@link #stop}. */
  static synchronized ScheduledFuture<?> start(Runnable renew, long periodMillis) {
    if (users++ == 0) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "onyx-mq-keepalive");
        t.setDaemon(true);
        return t;
      });
    }
    return timer.scheduleWithFixedDelay(renew, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Stops one renewal; the thread goes with the last. */
  static synchronized void stop(ScheduledFuture<?> task) {
    task.cancel(false);
    if (--users == 0) {
      timer.shutdown();
      timer = null;
    }
  }
}
