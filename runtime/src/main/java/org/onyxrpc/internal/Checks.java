package org.onyxrpc.internal;

import java.time.Duration;

/** The checks the builders make of a setting as it is set, with the message each gives. */
public final class Checks {
  private Checks() {}

  /** {@code value}, if it is at least {@code min}. */
  public static int atLeast(int min, int value, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
    }
    return value;
  }

  /** {@code d}, if it is longer than zero. */
  public static Duration positive(Duration d, String name) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }
}
