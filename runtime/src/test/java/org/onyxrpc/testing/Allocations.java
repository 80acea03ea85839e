package org.onyxrpc.testing;

import java.lang.management.ManagementFactory;

/**
 * Bounds what a decoder allocates, for fuzz tests: a declared length larger than the bytes that
 * follow must be refused before anything is allocated for it, so a decode may allocate only a
 * small multiple of its input. Counted by the JVM per thread ({@code
 * com.sun.management.ThreadMXBean}), so nothing has to be instrumented.
 */
public final class Allocations {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** What any decode may allocate whatever its input: objects, a few small buffers, messages. */
  public static final long SLACK = 64 << 10;

  private Allocations() {}

  /**
   * Runs {@code decode} and fails if it allocated more than {@code SLACK + perInputByte *
   * inputBytes}. A run over the bound is repeated once before failing: the first run of a path
   * also pays for loading and initialising its classes, which is no input's doing.
   */
  public static void bounded(int inputBytes, long perInputByte, Runnable decode) {
    long limit = SLACK + perInputByte * inputBytes;
    long first = measure(decode);
    if (first > limit) {
      long second = measure(decode);
      if (second > limit) {
        throw new AssertionError("decoding " + inputBytes + " bytes allocated " + second
            + " bytes, more than " + limit);
      }
    }
  }

  /**
   * The bytes {@code decode} allocates on this thread: the fewer of two runs, since the first run
   * of a path also pays for loading and initialising its classes.
   *
   * @param decode run twice
   * @return bytes allocated by the second run, or the first if it allocated less
   */
  public static long of(Runnable decode) {
    return Math.min(measure(decode), measure(decode));
  }

  private static long measure(Runnable decode) {
    long thread = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(thread);
    decode.run();
    return THREADS.getThreadAllocatedBytes(thread) - before;
  }
}
