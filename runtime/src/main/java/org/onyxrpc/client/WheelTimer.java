package org.onyxrpc.client;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ForkJoinPool;
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
  static final SharedResource<WheelTimer> SHARED = new SharedResource<>(WheelTimer::new, WheelTimer::stop);

  private final HashedWheelTimer wheel = new HashedWheelTimer(
      new DefaultThreadFactory("onyx-client-timer", true), TICK_MILLIS, TimeUnit.MILLISECONDS, 512);

  /**
   * Stops the thread. The last client may close from one of this timer's own tasks (a caller-runs
   * client runs a call's expiry, and so its callbacks, on the timer's thread: a {@code
   * DirectoryClient} retires an instance's client there), where the wheel cannot stop itself: its
   * stop then throws, which failed the close and every callback after it (the call's future was
   * never completed). The thread is then stopped from the common pool once the task returns.
   */
  private void stop() {
    try {
      wheel.stop();
    } catch (IllegalStateException onItsOwnThread) {
      ForkJoinPool.commonPool().execute(wheel::stop);
    }
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Timeout schedule(TimerTask task, long delayNanos) {
    return wheel.newTimeout(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }
}
