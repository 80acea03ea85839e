package org.onyxrpc.mq.internal.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns every queue's state ({@code onyx-mq-queues}): operations run on it one
 * at a time, so the state needs no locks, and callers get a future rather than wait.
 */
final class OwnerThread {
  private static final Logger log = LoggerFactory.getLogger(OwnerThread.class);

  /** Set once the host begins to close: operations submitted from then on are refused, not run. */
  private volatile boolean closing;
  /** Submits between their check of {@link #closing} and their operation's being queued. */
  private final AtomicInteger entering = new AtomicInteger();

  /** The owner thread once started (the pool's one thread). */
  private volatile Thread thread;
  private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "onyx-mq-queues");
    t.setDaemon(true);
    thread = t;
    return t;
  });

  /** The executor itself, for timers (deadlines, leases) and hand-offs from other threads. */
  final ScheduledExecutorService executor = timers;

  OwnerThread() {
    // Most timers are cancelled: a reservation's lease at its commit, a waiting call's deadline
    // when a message or a place comes. Java's default keeps a cancelled timer queued until its
    // delay passes: every message received kept one for the lease's 60 s, and every call that
    // waited with a 29-day deadline one for 29 days, so a busy server held a minute's receives'
    // worth of them, and a client looping through receives that wait piled them up without end.
    timers.setRemoveOnCancelPolicy(true);
  }

  /** Timers waiting to run, cancelled ones included (tests). */
  int timersQueued() {
    return timers.getQueue().size();
  }

  /** An operation on the owner thread; a failure it throws completes the future. */
  @FunctionalInterface
  interface Operation<T> {
    void run(CompletableFuture<T> reply) throws MqFailure;
  }

  /** An operation answered as soon as it has run. */
  @FunctionalInterface
  interface ThrowingSupplier<T> {
    T get() throws MqFailure;
  }

  static <T> Operation<T> immediate(ThrowingSupplier<T> supplier) {
    return reply -> reply.complete(supplier.get());
  }

  /**
   * Runs {@code operation} on the owner thread; the future fails with {@link HostClosedException},
   * the operation not run, once the host is closing.
   */
  <T> CompletableFuture<T> submit(Operation<T> operation) {
    entering.incrementAndGet();
    try {
      if (closing) {
        return CompletableFuture.failedFuture(new HostClosedException());
      }
      return run(operation);
    } finally {
      entering.decrementAndGet();
    }
  }

  /**
   * Runs {@code last} on the owner thread as the last operation: every one submitted after this
   * is refused, and every one accepted before runs before it (so {@code last} finds every call
   * parked, and none parks after it, left to the shutdown to drop unanswered).
   */
  <T> CompletableFuture<T> submitLast(Operation<T> last) {
    closing = true;
    // A submit that read closing as false before it was set is enqueueing: wait for it to be
    // queued (ahead of last). Volatile accesses on both sides: each sees the other's write.
    while (entering.get() != 0) {
      Thread.onSpinWait();
    }
    return run(last);
  }

  private <T> CompletableFuture<T> run(Operation<T> operation) {
    CompletableFuture<T> reply = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          operation.run(reply);
        } catch (MqFailure e) {
          reply.completeExceptionally(e);
        } catch (RuntimeException e) {
          log.warn("queue operation failed", e);
          reply.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      reply.completeExceptionally(new HostClosedException());
    }
    return reply;
  }

  /** Hands {@code task} to the owner thread from any thread; nothing happens once the host has closed. */
  void execute(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // the host closed: it ended every waiting call and reservation itself
    }
  }

  /** Runs {@code task} at once when called on the owner thread, else as {@link #execute}. */
  void runOnOwner(Runnable task) {
    if (Thread.currentThread() == thread) {
      task.run();
    } else {
      execute(task);
    }
  }

  void shutdown() {
    executor.shutdownNow();
  }
}
