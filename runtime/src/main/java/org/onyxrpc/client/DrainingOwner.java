package org.onyxrpc.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An owner without a thread of its own, for caller-runs clients: a serial executor (in the
 * manner of grpc-java's {@code SerializingExecutor}) that runs on whichever thread hands it work
 * while it is free, as grpc-java's {@code ThreadlessExecutor} runs a blocking caller's callbacks
 * on the caller. A thread that finds it owned queues its task and leaves; the owner runs the
 * queue before it lets go, and looks again after letting go, so no task is left behind.
 *
 * <p>Every thread that may own does only non-blocking work while it does: admitting and writing
 * a call (the socket writer never waits), completing calls from replies already read, firing a
 * timer. A thread that waits (a sync caller reading the socket) does so without owning, but for
 * a sync call made by code the owner runs (a reply's callback): that thread runs what others
 * leave while it waits ({@link #runLeft}), woken as they leave it.
 */
final class DrainingOwner implements CallOwner {
  private static final Logger LOG = LoggerFactory.getLogger(DrainingOwner.class);

  private final Queue<Runnable> queued = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Thread> holder = new AtomicReference<>();
  private int depth; // the holder's alone: how many enters it has not yet exited

  @Override
  public boolean isOwner() {
    return holder.get() == Thread.currentThread();
  }

  @Override
  public boolean tryEnter() {
    Thread me = Thread.currentThread();
    if (holder.get() == me) {
      depth++;
      return true;
    }
    if (!holder.compareAndSet(null, me)) {
      return false;
    }
    depth = 1;
    runQueued(); // what was handed over before comes first
    return true;
  }

  @Override
  public void exit() {
    if (depth > 1) {
      depth--;
      return;
    }
    Thread me = Thread.currentThread();
    do {
      runQueued(); // still owning, depth 1: a task's own enter and exit nest inside this one
      depth = 0;
      holder.set(null);
      // A task queued between the last poll and the release found us owning and left: take
      // the owner back for it, unless another thread just did (and then runs it).
    } while (!queued.isEmpty() && reenter(me));
  }

  private boolean reenter(Thread me) {
    if (holder.compareAndSet(null, me)) {
      depth = 1;
      return true;
    }
    return false;
  }

  @Override
  public void execute(Runnable task) {
    if (tryEnter()) {
      try {
        task.run();
      } finally {
        exit();
      }
      return;
    }
    queued.add(task);
    if (reenter(Thread.currentThread())) {
      exit(); // the owner let go before it could see the task: run it here
      return;
    }
    Thread owning = holder.get();
    if (owning != null) {
      LockSupport.unpark(owning); // it may be waiting in a sync call made while it owns
    }
  }

  @Override
  public void runLeft() {
    if (holder.get() == Thread.currentThread()) {
      runQueued();
    }
  }

  private void runQueued() {
    Runnable task;
    while ((task = queued.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("a client task failed: {}", e.toString(), e);
      }
    }
  }
}
