package org.onyxrpc.mq;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Renews open handles' leases: one daemon thread for every {@link MessageQueue} of the process,
 * started with the first open handle and stopped when the last one closes. A renewal only sends
 * an asynchronous call, so the thread never waits on the network.
 */
final class KeepAlive {
  private static ScheduledThreadPoolExecutor timer;
  private static int users;

  private KeepAlive() {}

  /** Runs {@code renew} every {@code periodMillis} until the returned task is given to {@link #stop}. */
  static synchronized ScheduledFuture<?> start(Runnable renew, long periodMillis) {
    if (users++ == 0) {
      timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "onyx-mq-keepalive");
        t.setDaemon(true);
        return t;
      });
      // A stopped renewal leaves the queue at once, not when its period (a third of the lease,
      // 40 s by default) would have run it next: a process that opens and closes queues by the
      // thousand while one stays open kept every closed handle's task, and its client, that long.
      timer.setRemoveOnCancelPolicy(true);
    }
    return timer.scheduleWithFixedDelay(renew, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Renewals queued on the thread, stopped ones included (tests); 0 without a thread. */
  static synchronized int tasksQueued() {
    return timer == null ? 0 : timer.getQueue().size();
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
