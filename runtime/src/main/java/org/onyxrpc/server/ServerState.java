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

  void callStarted() {
    inFlight.incrementAndGet();
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
