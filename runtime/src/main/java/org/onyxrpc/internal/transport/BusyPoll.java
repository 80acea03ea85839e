package org.onyxrpc.internal.transport;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * How an event loop that busy-polls waits: after its last event it keeps asking its sockets
 * ({@code epoll_wait} with no timeout) for up to the polling time, and only then sleeps until
 * the next one. A call that comes within that time is taken without the thread's wake-up, whose
 * cost on a loaded machine (the scheduler's choice of when a woken thread runs) is what makes
 * an event loop's latency tail. One per event loop: its state is the loop thread's alone.
 */
final class BusyPoll implements SelectStrategy {
  private final long pollNanos;
  private final LongSupplier nanoTime;
  private long lastEvent;

  BusyPoll(long pollNanos, LongSupplier nanoTime) {
    this.pollNanos = pollNanos;
    this.nanoTime = nanoTime;
    this.lastEvent = nanoTime.getAsLong();
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    int ready = selectNow.get();
    long now = nanoTime.getAsLong();
    if (ready > 0 || hasTasks) {
      lastEvent = now;
      return ready;
    }
    // Nothing yet: 0 has the loop run what is due and ask again, SELECT has it sleep.
    return now - lastEvent < pollNanos ? 0 : SelectStrategy.SELECT;
  }
}
