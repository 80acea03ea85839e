package org.onyxrpc.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs procedures on a pool fairly across connections: each connection has its own {@link Lane},
 * and the pool's threads take one task from each lane with work in turn, so one client's backlog
 * delays only that client. A lane is bounded by its connection, which stops reading at its limit
 * of calls in flight.
 *
 * <p>At most {@code maxRunners} tasks of the pool drain the lanes at once; each runs one task of
 * the next lane, puts that lane back at the end of the line if it has more, and goes on until no
 * lane has work. One lane's calls run on at most half of the runners at once: were they all
 * taken by one connection's slow calls (or by UDP's, whose senders share a lane), every other
 * client's call would wait for one of those to finish.
 */
final class FairScheduler {
  private final Executor pool;
  private final int maxRunners;
  private final int maxRunningPerLane;
  private final Queue<Lane> ready = new ConcurrentLinkedQueue<>();
  private final AtomicInteger runners = new AtomicInteger();
  private final LongAdder queued = new LongAdder(); // for tests: not one contended counter

  FairScheduler(Executor pool, int maxRunners) {
    this.pool = pool;
    this.maxRunners = maxRunners;
    this.maxRunningPerLane = Math.max(1, maxRunners / 2);
  }

  /**
   * Calls queued in the lanes, not yet taken by a runner. For tests, which wait for a call to be
   * queued rather than merely decoded.
   */
  int queuedCalls() {
    return (int) queued.sum();
  }

  /** A lane for one connection's calls. */
  Lane newLane() {
    return new Lane();
  }

  /**
   * One connection's queue of calls; an executor for its procedures. It is in the line of ready
   * lanes (once) while it has calls queued and fewer than its share running; {@code inLine} is
   * held from being put there until a runner has taken its next call.
   */
  final class Lane implements Executor {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean inLine = new AtomicBoolean();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
      queued.increment();
      size.incrementAndGet();
      offer(this);
      startRunner();
    }
  }

  /** Puts {@code lane} in line if it may run a call now and is not there yet. */
  private void offer(Lane lane) {
    // Whoever makes the condition true (a call queued, a call finished, a call taken) offers
    // after doing so, so a lane that may run is never left out of line.
    if (lane.size.get() > 0 && lane.running.get() < maxRunningPerLane
        && lane.inLine.compareAndSet(false, true)) {
      ready.add(lane);
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
      // Only the runner that took the lane from the line takes its calls, until it lets go. The
      // look that put it in line may have gone stale since (the call it saw was taken by the
      // runner that held the lane then; a call finishing let it in at its share): then it is
      // let go and offered again, on a fresh look.
      Runnable task = lane.running.get() < maxRunningPerLane ? lane.tasks.poll() : null;
      if (task == null) {
        lane.inLine.set(false);
        offer(lane);
        continue;
      }
      lane.running.incrementAndGet();
      lane.size.decrementAndGet();
      queued.decrement();
      lane.inLine.set(false);
      offer(lane);
      try {
        task.run();
      } catch (Throwable e) {
        // a task reports its own failures; one that escapes must not stop this runner
      } finally {
        lane.running.decrementAndGet();
        offer(lane);
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
