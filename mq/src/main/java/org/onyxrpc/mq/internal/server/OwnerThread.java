package org.onyxrpc.mq.internal.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns every queue's state ({@code onyx-mq-queues}): operations run on it one
 * at a time, so the state needs no locks, and callers get a future rather than wait.
 */
final class OwnerThread {
  private static final Logger log = LoggerFactory.getLogger(OwnerThread.class);

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

  /** Runs {@code operation} on the owner thread; the future fails if the host has closed. */
  <T> CompletableFuture<T> submit(Operation<T> operation) {
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
      reply.completeExceptionally(new IllegalStateException("queue host closed"));
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
