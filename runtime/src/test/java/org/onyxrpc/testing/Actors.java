package org.onyxrpc.testing;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A few threads, each its own actor, that a test drives one step at a time in an order it
 * chooses: how a test interleaves the threads of a concurrent structure without sleeps.
 * Registered per test, it stops its threads after each one:
 *
 * <pre>{@code
 * @RegisterExtension final Actors actors = new Actors(3);
 * ... actors.on(0, turn::release); ...
 * }</pre>
 */
public final class Actors implements AfterEachCallback {
  private final ExecutorService[] threads;

  /** {@code count} actors, numbered from 0. */
  public Actors(int count) {
    threads = new ExecutorService[count];
    for (int i = 0; i < count; i++) {
      threads[i] = Executors.newSingleThreadExecutor();
    }
  }

  /** Runs {@code step} on actor {@code who}'s thread and waits for it: one step at a time. */
  public void on(int who, Runnable step) throws Exception {
    threads[who].submit(step).get(1, TimeUnit.MINUTES);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (ExecutorService thread : threads) {
      thread.shutdownNow();
    }
  }
}
