package org.onyxrpc.client;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.internal.SharedResource;

/**
 * The real clock, over one Netty {@link HashedWheelTimer} that every client of the process
 * shares: timers are set and cancelled in constant time, so a timer per call costs little, and
 * the thread, started by the first timer set, stops when the last client closes. Timers fire
 * within {@value #TICK_MILLIS} ms of their time.
 */
final class WheelTimer implements CallTimer {
  static final long TICK_MILLIS = 5;
  static final SharedResource<WheelTimer> SHARED = new SharedResource<>(WheelTimer::new,
      t -> t.wheel.stop());

  private final HashedWheelTimer wheel = new HashedWheelTimer(
      new DefaultThreadFactory("onyx-client-timer", true), TICK_MILLIS, TimeUnit.MILLISECONDS, 512);

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    Scheduled scheduled = new Scheduled(task);
    scheduled.timeout = wheel.newTimeout(scheduled, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    return scheduled;
  }

  /** One object for both sides of a timer, the task the wheel runs and the handle to cancel it. */
  private static final class Scheduled implements TimerTask, Cancellable {
    private final Runnable task;
    private volatile Timeout timeout;

    Scheduled(Runnable task) {
      this.task = task;
    }

    @Override
    public void run(Timeout t) {
      task.run();
    }

    @Override
    public void cancel() {
      Timeout t = timeout;
      if (t != null) {
        t.cancel();
      }
    }
  }
}
