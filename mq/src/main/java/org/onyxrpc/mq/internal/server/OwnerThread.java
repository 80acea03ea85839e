package org.onyxrpc.mq.internal.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns every queue's state ({@code onyx-mq-queues}): operations run on it one
 * at a time, so the state needs no locks, and callers get a future rather than wait.
 */
final class OwnerThread {
  private static final Logger log = LoggerFactory.getLogger(OwnerThread.class);

  /** The executor itself, for timers (deadlines, leases) and hand-offs from other threads. */
  final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "onyx-mq-queues");
    t.setDaemon(true);
    return t;
  });

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

  void shutdown() {
    executor.shutdownNow();
  }
}
