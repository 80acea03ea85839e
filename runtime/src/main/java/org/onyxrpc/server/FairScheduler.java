package org.onyxrpc.server;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
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
 * taken by one connection's slow calls (or one UDP sender address's), every other client's call
 * would wait for one of those to finish.
 *
 * <p>Connections are free to open, so the lanes of one {@link Client} (the TCP connections and
 * UDP calls from one {@code ClientAddress}, or the Unix-domain connections of one uid) run on at most three quarters of the runners together:
 * several connections of one host cannot take every runner, and neither can one that sends slow calls,
 * closes, and comes back (a client's count lasts as long as its calls do, not as long as its
 * connection). The quarter left is for other addresses. Three quarters rather than a half, so that
 * different programs on one host (loopback is one address) keep the per-connection fairness
 * between them.
 */
final class FairScheduler {
  private final Executor pool;
  private final int maxRunners;
  private final int maxRunningPerLane;
  private final int maxRunningPerClient;
  private final Map<Object, Client> clients = new ConcurrentHashMap<>();
  private final Queue<Lane> ready = new ConcurrentLinkedQueue<>();
  private final AtomicInteger runners = new AtomicInteger();
  private final LongAdder queued = new LongAdder(); // for tests: not one contended counter

  FairScheduler(Executor pool, int maxRunners) {
    this.pool = pool;
    this.maxRunners = maxRunners;
    this.maxRunningPerLane = Math.max(1, maxRunners / 2);
    this.maxRunningPerClient = Math.max(maxRunningPerLane, maxRunners * 3 / 4);
  }

  /**
   * Calls queued in the lanes, not yet taken by a runner. For tests, which wait for a call to be
   * queued rather than merely decoded.
   */
  int queuedCalls() {
    return (int) queued.sum();
  }

  /**
   * A lane for one connection's calls, counted with the other lanes of {@code client} (an IP
   * address, a Unix-domain peer's user), or alone if it is null (in-process). Close it when its connection closes.
   */
  Lane newLane(Object client) {
    if (client == null) {
      return new Lane(new Client(null));
    }
    return new Lane(clients.compute(client, (key, c) -> {
      Client counted = c == null ? new Client(key) : c;
      counted.lanes++;
      return counted;
    }));
  }

  /**
   * A task that may be dropped unrun when its lane closes: a call whose connection closed before
   * the call started, which would otherwise run for nobody (and count in its client's share).
   */
  interface Droppable extends Runnable {
    /** Gives back what the task holds, without running it; called at most once, instead of run. */
    void drop();
  }

  /** Clients with a lane open or a call queued or running (for tests). */
  int clients() {
    return clients.size();
  }

  /**
   * The lanes of one client address: how many of its calls run, which of its lanes wait for its
   * share, and how long it must be remembered (while a lane is open or a call not done).
   */
  private final class Client {
    final Object key; // null: a lane alone, not in the map
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger(); // queued or running
    final Queue<Lane> waiting = new ConcurrentLinkedQueue<>();
    volatile int lanes; // changed only in the map's compute, for this key

    Client(Object key) {
      this.key = key;
    }

    boolean tryRun() {
      return incrementBelow(running, maxRunningPerClient);
    }

    /** A call taken, or a look at the share, is over: wakes the lanes that waited for it. */
    void stopped() {
      running.decrementAndGet();
      Lane lane;
      while ((lane = waiting.poll()) != null) {
        lane.waitingForClient.set(false);
        offer(lane);
      }
    }

    void forgetIfDone() {
      if (key != null && lanes == 0 && calls.get() == 0) {
        clients.computeIfPresent(key, (k, c) -> c.lanes == 0 && c.calls.get() == 0 ? null : c);
      }
    }
  }

  /**
   * One connection's queue of calls; an executor for its procedures. It is in the line of ready
   * lanes (once) while it has calls queued and fewer than its share running; {@code inLine} is
   * held from being put there until a runner has taken its next call.
   */
  final class Lane implements Executor, AutoCloseable {
    private final Client client;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean inLine = new AtomicBoolean();
    private final AtomicBoolean waitingForClient = new AtomicBoolean();

    private Lane(Client client) {
      this.client = client;
    }

    @Override
    public void execute(Runnable task) {
      client.calls.incrementAndGet();
      tasks.add(task);
      queued.increment();
      size.incrementAndGet();
      offer(this);
      startRunner();
    }

    /**
     * Its connection closed: its queued {@link Droppable} tasks are dropped (other tasks still
     * run), and its client is forgotten once its calls are done too.
     */
    @Override
    public void close() {
      dropQueued();
      if (client.key != null) {
        clients.computeIfPresent(client.key, (k, c) -> {
          c.lanes--;
          return c.lanes == 0 && c.calls.get() == 0 ? null : c;
        });
      }
    }

    /**
     * Takes every queued task; a runner may take some meanwhile, and each task is taken once.
     * The ones that cannot be dropped go back in line, in their order.
     */
    private void dropQueued() {
      java.util.List<Runnable> kept = null;
      Runnable task;
      while ((task = tasks.poll()) != null) {
        if (task instanceof Droppable call) {
          size.decrementAndGet();
          queued.decrement();
          client.calls.decrementAndGet();
          try {
            call.drop();
          } catch (RuntimeException | Error e) {
            // a task reports its own failures; the others are still dropped
          }
        } else {
          if (kept == null) {
            kept = new java.util.ArrayList<>();
          }
          kept.add(task);
        }
      }
      if (kept != null) {
        tasks.addAll(kept); // still counted in size, queued and the client's calls
        offer(this);
        startRunner();
      }
    }
  }

  /** Puts {@code lane} in line if it may run a call now and is not there yet. */
  private void offer(Lane lane) {
    // Whoever makes the condition true (a call queued, a call finished, a call taken) offers
    // after doing so, so a lane that may run is never left out of line.
    if (lane.size.get() == 0 || lane.running.get() >= maxRunningPerLane) {
      return;
    }
    Client client = lane.client;
    if (client.running.get() >= maxRunningPerClient) {
      // Waits with its client, whose next stopped() offers it again. The look after joining
      // covers a call that stopped between the look above and the join.
      if (lane.waitingForClient.compareAndSet(false, true)) {
        client.waiting.add(lane);
      }
      if (client.running.get() < maxRunningPerClient && client.waiting.remove(lane)) {
        lane.waitingForClient.set(false);
        offer(lane);
      }
      return;
    }
    if (lane.inLine.compareAndSet(false, true)) {
      ready.add(lane);
    }
  }

  private void startRunner() {
    if (!incrementBelow(runners, maxRunners)) {
      return;
    }
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException e) {
      runners.decrementAndGet();
      throw e;
    }
  }

  /** {@link #startRunner}, from a runner: a pool shut down leaves the line to its drainers. */
  private void startRunnerIfAlive() {
    try {
      startRunner();
    } catch (RejectedExecutionException e) {
      // the server is closing; this runner still drains the line once its task is done
    }
  }

  private void drain() {
    while (true) {
      Lane lane = ready.poll();
      if (lane == null) {
        runners.decrementAndGet();
        // A lane may have become ready after the poll and before the decrement, its own
        // startRunner finding every runner busy: look once more before leaving.
        if (ready.isEmpty() || !incrementBelow(runners, maxRunners)) {
          return;
        }
        continue;
      }
      // Only the runner that took the lane from the line takes its calls, until it lets go. The
      // look that put it in line may have gone stale since (the call it saw was taken by the
      // runner that held the lane then; a call finishing let it in at its share): then it is
      // let go and offered again, on a fresh look.
      Runnable task = null;
      if (lane.running.get() < maxRunningPerLane && lane.client.tryRun()) {
        task = lane.tasks.poll();
        if (task == null) {
          lane.client.stopped();
        }
      }
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
      if (!ready.isEmpty()) {
        // A runner that found the line empty while this one held the lane may have left, and
        // this one's task may block: the calls left in line get a runner of their own.
        startRunnerIfAlive();
      }
      try {
        task.run();
      } catch (Throwable e) {
        // a task reports its own failures; one that escapes must not stop this runner
      } finally {
        lane.running.decrementAndGet();
        lane.client.calls.decrementAndGet();
        lane.client.stopped();
        offer(lane);
        lane.client.forgetIfDone();
      }
    }
  }

  /** Adds one to {@code counter} if it is below {@code cap}; false if it is not. */
  private static boolean incrementBelow(AtomicInteger counter, int cap) {
    while (true) {
      int n = counter.get();
      if (n >= cap) {
        return false;
      }
      if (counter.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }
}
