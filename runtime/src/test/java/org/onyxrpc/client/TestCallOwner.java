package org.onyxrpc.client;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CallOwner} for tests of the client's parts without an event loop or a draining owner:
 * whatever thread asks owns (such a test has one). A task given to it runs at once, or, made
 * {@link #deferring}, waits in {@link #tasks} until the test runs it; {@link #onEnter} runs at
 * each {@link #tryEnter}, before the turn it begins.
 */
final class TestCallOwner implements CallOwner {
  private final List<Runnable> deferred; // null: tasks run at once
  private final Runnable onEnter;

  private TestCallOwner(List<Runnable> deferred, Runnable onEnter) {
    this.deferred = deferred;
    this.onEnter = onEnter;
  }

  /** Runs every task at once, on the thread that gives it. */
  static TestCallOwner running() {
    return new TestCallOwner(null, () -> {});
  }

  /** Keeps every task in {@link #tasks}, in the order given, until the test runs it. */
  static TestCallOwner deferring() {
    return new TestCallOwner(new ArrayList<>(), () -> {});
  }

  /** This owner, but running {@code action} at each {@link #tryEnter}. */
  TestCallOwner onEnter(Runnable action) {
    return new TestCallOwner(deferred, action);
  }

  /** The tasks kept by a {@link #deferring} owner, not yet run. */
  List<Runnable> tasks() {
    if (deferred == null) {
      throw new IllegalStateException("this owner runs its tasks at once");
    }
    return deferred;
  }

  @Override
  public boolean isOwner() {
    return true;
  }

  @Override
  public boolean tryEnter() {
    onEnter.run();
    return true;
  }

  @Override
  public void exit() {}

  @Override
  public void execute(Runnable task) {
    if (deferred == null) {
      task.run();
    } else {
      deferred.add(task);
    }
  }

  @Override
  public void runLeft() {}
}
