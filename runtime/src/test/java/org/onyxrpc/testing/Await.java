package org.onyxrpc.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for something that the code under test makes true on its own threads: the condition is
 * the event, looked at every millisecond. No time is asserted; the bound only keeps a broken
 * build from hanging.
 */
public final class Await {
  private static final Duration GIVE_UP = Duration.ofMinutes(1);

  private Await() {}

  /** Returns once {@code condition} holds; fails after a minute. */
  public static void until(BooleanSupplier condition) {
    until(condition, GIVE_UP);
  }

  /** Returns once {@code condition} holds; fails after {@code giveUp}. */
  public static void until(BooleanSupplier condition, Duration giveUp) {
    if (!within(condition, giveUp)) {
      throw new AssertionError("not true within " + giveUp);
    }
  }

  /**
   * True once {@code condition} holds, false if it still does not after {@code giveUp}: for a
   * test that has something else to do when it never comes (skip, say why).
   */
  public static boolean within(BooleanSupplier condition, Duration giveUp) {
    long deadline = System.nanoTime() + giveUp.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return true;
  }
}
