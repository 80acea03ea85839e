package org.onyxrpc.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs procedures on a pool fairly across connections: each connection has its own {@link Lane},
 * and the pool's threads take one task from each lane with work in turn, so one client's backlog
 * delays only that client. A lane is bounded by its connection, which stops reading at its limit
 * of calls in flight.
 *
 * <p>At most {@code maxRunners} tasks of the pool drain the lanes at once; each runs one task of
 * the next lane, puts that lane back at the end of the line if it has more, and goes on until no
 * lane has work.
 */
final class FairScheduler {
  private final Executor pool;
  private final int maxRunners;
  private final Queue<Lane> ready = new ConcurrentLinkedQueue<>();
  private final AtomicInteger runners = new AtomicInteger();

  FairScheduler(Executor pool, int maxRunners) {
    this.pool = pool;
    this.maxRunners = maxRunners;
  }

  /**
   * Calls queued in the lanes, not yet taken by a runner; exact while no runner is between two
   * calls. For tests, which wait for a call to be queued rather than merely decoded.
   */
  int queuedCalls() {
    int queued = 0;
    for (Lane lane : ready) { // a lane with calls queued is in line, once
      queued += lane.size.get();
    }
    return queued;
  }

  /** A lane for one connection's calls. */
  Lane newLane() {
    return new Lane();
  }

  /** One connection's queue of calls; an executor for its procedures. */
  final class Lane implements Executor {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
      if (size.getAndIncrement() == 0) {
        ready.add(this);
      }
      startRunner();
    }
  }

  private void startRunner() {
    while (true) {
      int n = runners.get();
      if (n >= maxRunners) {
        return;
      }
      if (runners.compareAndSet(n, n + 1)) {
        break;
      }
    }
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException e) {
      runners.decrementAndGet();
      throw e;
    }
  }

  private void drain() {
    while (true) {
      Lane lane = ready.poll();
      if (lane == null) {
        runners.decrementAndGet();
        // A lane may have become ready after the poll and before the decrement, its own
        // startRunner finding every runner busy: look once more before leaving.
        if (ready.isEmpty() || !reclaim()) {
          return;
        }
        continue;
      }
      Runnable task = lane.tasks.poll();
      if (lane.size.decrementAndGet() > 0) {
        ready.add(lane);
      }
      try {
        task.run();
      } catch (Throwable e) {
        // a task reports its own failures; one that escapes must not stop this runner
      }
    }
  }

  private boolean reclaim() {
    while (true) {
      int n = runners.get();
      if (n >= maxRunners) {
        return false;
      }
      if (runners.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }
}
