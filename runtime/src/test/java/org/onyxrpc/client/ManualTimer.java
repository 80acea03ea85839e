package org.onyxrpc.client;

import java.time.Duration;
import java.util.PriorityQueue;

/** A clock that moves only when a test advances it, running the timers that fall due. */
final class ManualTimer implements CallTimer {
  private record Task(long at, long order, Runnable run) {}

  private final PriorityQueue<Task> tasks = new PriorityQueue<>(
      (a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : Long.compare(a.order(), b.order()));
  private long now = 1_000_000_000L;
  private long order;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Runnable run, long delayNanos) {
    Task task = new Task(now + Math.max(0, delayNanos), order++, run);
    tasks.add(task);
    return () -> {
      synchronized (ManualTimer.this) {
        tasks.remove(task);
      }
    };
  }

  /** Moves the clock on by {@code by}, running each timer that falls due, in order, at its time. */
  void advance(Duration by) {
    long target;
    synchronized (this) {
      target = now + by.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.at() - target > 0) {
          now = target;
          return;
        }
        tasks.poll();
        now = Math.max(now, next.at());
      }
      next.run().run();
    }
  }

  /** Timers set and neither run nor cancelled. */
  synchronized int pending() {
    return tasks.size();
  }
}
