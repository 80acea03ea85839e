package org.onyxrpc.client;

import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client's clock that stands still (so that a connection stays busy and no timer fires) and
 * counts its reads: for the tests that hold a call's path to its clock reads.
 */
final class CountingTimer implements CallTimer {
  private final ManualTimer timer = new ManualTimer();
  final AtomicLong reads = new AtomicLong();

  @Override
  public long nanoTime() {
    reads.incrementAndGet();
    return timer.nanoTime();
  }

  @Override
  public Timeout schedule(TimerTask task, long delayNanos) {
    return timer.schedule(task, delayNanos);
  }
}
