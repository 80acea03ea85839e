package org.onyxrpc.internal;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A resource that clients, servers and directories share (a thread pool, an event loop group):
 * made when its first user acquires it, closed when its last user releases it, so that nothing
 * runs while nobody uses it and nothing is left behind once everything is closed. In the manner
 * of grpc-java's {@code SharedResourceHolder}, without its delay: the resources shared here are
 * cheap to make again.
 *
 * @param <T> the resource
 */
public final class SharedResource<T> {
  private final Supplier<T> factory;
  private final Consumer<T> closer;
  private T instance;
  private int users;

  /** A resource made by {@code factory} and closed by {@code closer}. */
  public SharedResource(Supplier<T> factory, Consumer<T> closer) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.closer = Objects.requireNonNull(closer, "closer");
  }

  /** The resource, made if nobody uses it yet; release it exactly once. */
  public synchronized T acquire() {
    if (users == 0) {
      instance = factory.get();
    }
    users++;
    return instance;
  }

  /** Gives up one use of {@code resource}; the last closes it. */
  public void release(T resource) {
    T closing;
    synchronized (this) {
      if (users == 0 || resource != instance) {
        throw new IllegalStateException("released more often than acquired: " + resource);
      }
      if (--users > 0) {
        return;
      }
      closing = instance;
      instance = null;
    }
    closer.accept(closing); // outside the lock: closing may wait for threads to stop
  }

  /** How many users hold it now. */
  public synchronized int users() {
    return users;
  }
}
