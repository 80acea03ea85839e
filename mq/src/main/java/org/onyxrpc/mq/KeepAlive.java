package org.onyxrpc.mq;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.internal.SharedResource;

/**
 * Renews one open handle's lease, on one daemon thread for every {@link MessageQueue} of the
 * process, made with the first open handle and gone when the last one closes (the runtime's
 * {@link SharedResource} counts them). A renewal only sends an asynchronous call, so the thread
 * never waits on the network.
 */
final class KeepAlive {
  static final SharedResource<ScheduledThreadPoolExecutor> TIMER =
      new SharedResource<>(KeepAlive::newTimer, ScheduledThreadPoolExecutor::shutdown);

  private final ScheduledThreadPoolExecutor timer;
  private final ScheduledFuture<?> task;

  private KeepAlive(ScheduledThreadPoolExecutor timer, ScheduledFuture<?> task) {
    this.timer = timer;
    this.task = task;
  }

  /** Runs {@code renew} every {@code periodMillis} until {@link #stop}. */
  static KeepAlive start(Runnable renew, long periodMillis) {
    ScheduledThreadPoolExecutor timer = TIMER.acquire();
    try {
      return new KeepAlive(timer,
          timer.scheduleWithFixedDelay(renew, periodMillis, periodMillis, TimeUnit.MILLISECONDS));
    } catch (RuntimeException e) {
      TIMER.release(timer);
      throw e;
    }
  }

  /** Stops this renewal, once; the thread goes with the last. */
  void stop() {
    task.cancel(false);
    TIMER.release(timer);
  }

  /** Renewals queued on the thread, stopped ones included (tests). */
  int tasksQueued() {
    return timer.getQueue().size();
  }

  private static ScheduledThreadPoolExecutor newTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "onyx-mq-keepalive");
      t.setDaemon(true);
      return t;
    });
    // A stopped renewal leaves the queue at once, not when its period (a third of the lease,
    // 40 s by default) would have run it next: a process that opens and closes queues by the
    // thousand while one stays open kept every closed handle's task, and its client, that long.
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
