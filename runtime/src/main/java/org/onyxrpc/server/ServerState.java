package org.onyxrpc.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Calls in flight across the whole server, and whether it is draining for shutdown. Counting is
 * one atomic operation per call; the lock is taken only once draining, to wake the waiter.
 */
final class ServerState {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private volatile boolean draining;

  boolean draining() {
    return draining;
  }

  /**
   * Counts a call in, unless the server drains: then nothing is counted and the call must not
   * start. Counting before looking, as {@link #drain} marks before it counts, a call that starts
   * as the drain begins is either seen by the drain or sees it; never started after the drain
   * found nothing in flight.
   */
  boolean callStarted() {
    inFlight.incrementAndGet();
    if (!draining) {
      return true;
    }
    callFinished();
    return false;
  }

  void callFinished() {
    if (inFlight.decrementAndGet() == 0 && draining) {
      lock.lock();
      try {
        idle.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** From now on calls that arrive are dropped unread: the server is shutting down. */
  void beginDrain() {
    draining = true;
  }

  /** Refuses new calls, then waits up to {@code nanos} for those in flight; true if all ended. */
  boolean drain(long nanos) throws InterruptedException {
    draining = true;
    lock.lock();
    try {
      while (inFlight.get() > 0) {
        if (nanos <= 0) {
          return false;
        }
        nanos = idle.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  int inFlight() {
    return inFlight.get();
  }

  static long nanos(java.time.Duration d) {
    return TimeUnit.NANOSECONDS.convert(d);
  }
}
