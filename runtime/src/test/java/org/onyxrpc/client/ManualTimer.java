package org.onyxrpc.client;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A clock that moves only when a test advances it, running the timers that fall due. Public for
 * the tests of other modules (mq), which give it to a client with {@link #timing}.
 */
public final class ManualTimer implements CallTimer {
  private final class Task implements Timeout {
    final long at;
    final long order;
    final TimerTask run;
    private boolean cancelled;
    private boolean expired;

    Task(long at, long order, TimerTask run) {
      this.at = at;
      this.order = order;
      this.run = run;
    }

    long at() {
      return at;
    }

    long order() {
      return order;
    }

    @Override
    public Timer timer() {
      throw new UnsupportedOperationException("a manual clock is not a Netty timer");
    }

    @Override
    public TimerTask task() {
      return run;
    }

    @Override
    public boolean isExpired() {
      synchronized (ManualTimer.this) {
        return expired;
      }
    }

    @Override
    public boolean isCancelled() {
      synchronized (ManualTimer.this) {
        return cancelled;
      }
    }

    @Override
    public boolean cancel() {
      synchronized (ManualTimer.this) {
        if (expired || cancelled) {
          return false;
        }
        cancelled = true;
        tasks.remove(this);
        return true;
      }
    }
  }

  private final PriorityQueue<Task> tasks = new PriorityQueue<>(
      (a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : Long.compare(a.order(), b.order()));
  private long now = 1_000_000_000L;
  private long order;
  private long scheduled;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Timeout schedule(TimerTask run, long delayNanos) {
    Task task = new Task(now + Math.max(0, delayNanos), order++, run);
    tasks.add(task);
    scheduled++;
    notifyAll(); // for the awaits
    return task;
  }

  /** {@code builder}, its client's calls keeping time by this clock. */
  public RpcClientBuilder timing(RpcClientBuilder builder) {
    return builder.timer(this);
  }

  /** Moves the clock on by {@code by}, running each timer that falls due, in order, at its time. */
  public void advance(Duration by) {
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
        next.expired = true;
        now = Math.max(now, next.at());
      }
      try {
        next.run.run(next);
      } catch (Exception e) {
        throw new IllegalStateException("a timer task failed", e);
      }
    }
  }

  /**
   * Waits, up to {@code patience} of real time, until a timer is set to fall due within
   * {@code within} of this clock's now: for a test that must know a timer was set before it
   * advances the clock past it. Whether it came.
   */
  public synchronized boolean awaitDueWithin(Duration within, Duration patience)
      throws InterruptedException {
    return await(() -> !tasks.isEmpty() && tasks.peek().at() - now <= within.toNanos(), patience);
  }

  /** How many timers have been set, ever: a test's mark for {@link #awaitScheduledAfter}. */
  public synchronized long scheduled() {
    return scheduled;
  }

  /**
   * Waits, up to {@code patience} of real time, until a timer is set after the {@code mark}th
   * (a call's timer set again, say, when its connection was lost). Whether one was.
   */
  public synchronized boolean awaitScheduledAfter(long mark, Duration patience)
      throws InterruptedException {
    return await(() -> scheduled > mark, patience);
  }

  private boolean await(java.util.function.BooleanSupplier done, Duration patience)
      throws InterruptedException {
    long giveUp = System.nanoTime() + patience.toNanos();
    while (true) {
      if (done.getAsBoolean()) {
        return true;
      }
      long left = giveUp - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** How many timers are set and not yet due. */
  public synchronized int pending() {
    return tasks.size();
  }
}
