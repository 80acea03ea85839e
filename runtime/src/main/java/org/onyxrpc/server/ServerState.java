package org.onyxrpc.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Calls in flight across the whole server, and whether it is draining for shutdown. */
final class ServerState {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private volatile boolean draining;
  private int inFlight;

  boolean draining() {
    return draining;
  }

  void callStarted() {
    lock.lock();
    try {
      inFlight++;
    } finally {
      lock.unlock();
    }
  }

  void callFinished() {
    lock.lock();
    try {
      if (--inFlight == 0) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Refuses new calls, then waits up to {@code nanos} for those in flight; true if all ended. */
  boolean drain(long nanos) throws InterruptedException {
    draining = true;
    lock.lock();
    try {
      while (inFlight > 0) {
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
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
  }

  static long nanos(java.time.Duration d) {
    return TimeUnit.NANOSECONDS.convert(d);
  }
}
