package org.onyxrpc.internal;

import java.time.Duration;
import java.util.Objects;

/** The checks the builders make of a setting as it is set, with the message each gives. */
public final class Checks {
  private Checks() {}

  /**
   * The longest timeout kept: 2^58 ns, about nine years, as good as none, and short enough that
   * the sums and the 16-fold retransmission backoff made of it stay within a long of nanoseconds.
   */
  public static final Duration LONGEST = Duration.ofNanos(1L << 58);

  /** {@code d}, or {@link #LONGEST} if longer ({@code ChronoUnit.FOREVER}'s duration, say). */
  public static Duration capped(Duration d) {
    return d.compareTo(LONGEST) > 0 ? LONGEST : d;
  }

  /** {@code value}, if it is at least {@code min}. */
  public static int atLeast(int min, int value, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
    }
    return value;
  }

  /** {@code value}, if it is {@code min..max}. */
  public static int within(int min, int max, int value, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
    }
    return value;
  }

  /** {@code value}, if it is more than zero. */
  public static int positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  /** {@code value}, if it is more than zero. */
  public static long positive(long value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  /** {@code d}, if it is zero or longer, {@linkplain #capped capped}. */
  public static Duration notNegative(Duration d, String name) {
    Objects.requireNonNull(d, name); // a setter's null named, not "because "d" is null"
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
    return capped(d);
  }

  /** {@code d}, if it is longer than zero, {@linkplain #capped capped}. */
  public static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return capped(d);
  }

  /**
   * Refuses a call's null procedure or options by name, before the call does anything: a
   * caller's mistake told as such, not as a NullPointerException from inside the client.
   * {@code Objects.requireNonNull} is a JIT intrinsic: nothing measurable per call.
   */
  public static void callArguments(Object procedure, Object options) {
    Objects.requireNonNull(procedure, "procedure");
    Objects.requireNonNull(options, "options");
  }
}
