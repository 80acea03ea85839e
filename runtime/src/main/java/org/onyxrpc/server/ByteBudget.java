package org.onyxrpc.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes the server may hold across all connections: of records that arrive or wait for a call
 * slot (one budget), or of the decoded arguments of calls in flight (another). A connection charges what it holds after each read and gives it back as records
 * are processed; one that holds part of a record while the budget is spent stops reading (TCP
 * then pushes back on its sender) and is woken when bytes are given back.
 */
final class ByteBudget {
  private final long maxBytes;
  private final AtomicLong held = new AtomicLong();
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

  ByteBudget(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Adds {@code delta} (negative to give back); wakes the waiting when there is room again. */
  void adjust(long delta) {
    long now = held.addAndGet(delta);
    if (delta < 0 && now < maxBytes) {
      Runnable wake;
      while ((wake = waiting.poll()) != null) {
        wake.run();
      }
    }
  }

  /** True when the budget is spent. */
  boolean spent() {
    return held.get() >= maxBytes;
  }

  /** Runs {@code wake} once bytes are given back (at once if there is room by then). */
  void await(Runnable wake) {
    waiting.add(wake);
    if (!spent() && waiting.remove(wake)) {
      wake.run();
    }
  }

  /** Bytes left before the budget is spent (negative when over). */
  long room() {
    return maxBytes - held.get();
  }

  long held() {
    return held.get();
  }
}
