package org.onyxrpc.mq;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.onyxrpc.internal.SharedResource;

/**
 * Renews one open handle's lease, on one daemon thread for every {@link MessageQueue} of the
 * process, made with the first open handle and gone when the last one closes (the runtime's
 * {@link SharedResource} counts them). A renewal only sends an asynchronous call, so the thread
 * never waits on the network.
 */
final class KeepAlive {
  private static final SharedResource<ScheduledThreadPoolExecutor> TIMER = newTimers();

  private final SharedResource<ScheduledThreadPoolExecutor> timers;
  private final ScheduledThreadPoolExecutor timer;
  private final ScheduledFuture<?> task;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private KeepAlive(SharedResource<ScheduledThreadPoolExecutor> timers, ScheduledThreadPoolExecutor timer,
      ScheduledFuture<?> task) {
    this.timers = timers;
    this.timer = timer;
    this.task = task;
  }

  /** Runs {@code renew} every {@code periodMillis} until {@link #stop}, on the process's thread. */
  static KeepAlive start(Runnable renew, long periodMillis) {
    return start(TIMER, renew, periodMillis);
  }

  /** Runs {@code renew} every {@code periodMillis} until {@link #stop}, on {@code timers}' thread. */
  static KeepAlive start(SharedResource<ScheduledThreadPoolExecutor> timers, Runnable renew, long periodMillis) {
    ScheduledThreadPoolExecutor timer = timers.acquire();
    try {
      return new KeepAlive(timers, timer,
          timer.scheduleWithFixedDelay(renew, periodMillis, periodMillis, TimeUnit.MILLISECONDS));
    } catch (RuntimeException e) {
      timers.release(timer);
      throw e;
    }
  }

  /** A thread shared by its users, made by the first and shut down with the last. */
  static SharedResource<ScheduledThreadPoolExecutor> newTimers() {
    return new SharedResource<>(KeepAlive::newTimer, ScheduledThreadPoolExecutor::shutdown);
  }

  /**
   * Stops this renewal; the thread goes with the last. Once: a handle the server no longer holds
   * stops its own renewal, and its {@code close()} stops it again.
   */
  void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    task.cancel(false);
    timers.release(timer);
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
