package org.onyxrpc.client;

import java.io.IOException;

/**
 * A caller-runs leader's look for bytes before it sleeps in the kernel for them: it tries to
 * read the socket, yielding its CPU between tries, for up to a short window ({@link
 * RpcClientBuilder#pollBeforeWaiting}). Bytes that come within it are read without a wake-up,
 * which on a virtual machine with idle CPUs costs as much as the rest of a small call. Yielding
 * rather than spinning lets a server on the same CPU (the scheduler often wakes it there, beside
 * the thread that wrote to it) run at once: a plain spin made it wait for the window's end, which
 * by hand raised the p99 of a sync call by the window. Each look is a read, not a {@code
 * selectNow}: by hand (busy CPUs, three alternating rounds) a selector's look cost about a
 * microsecond a call more, its own {@code epoll_wait} and the selector's bookkeeping before the
 * read that follows it.
 *
 * <p>A window that passes with nothing makes the next 1, then 3, 7, ... up to 1,023 waits skip
 * their look, so a slow server costs next to no CPU; bytes within a window start afresh. The
 * turn's holder's alone.
 */
final class PollBeforeWait {
  /** Reads what has come for the leader of {@code call}, without waiting; whether anything had. */
  interface Look {
    boolean read(PendingCall<?, ?> call) throws IOException;
  }

  private static final int MOST_MISSES = 10;

  private final long windowNanos;
  private final Look look;
  /** Windows that passed with nothing, in a row, up to {@link #MOST_MISSES}. */
  private int misses;
  /** Waits that are still to skip their look. */
  private int skip;

  /** {@code windowNanos} zero never looks. */
  PollBeforeWait(long windowNanos, Look look) {
    this.windowNanos = windowNanos;
    this.look = look;
  }

  /**
   * Looks until it has read something, {@code call} is done, or the window or {@code waitNanos}
   * passes; true in the first two cases, when the leader need not wait.
   */
  boolean arrived(long waitNanos, PendingCall<?, ?> call) throws IOException {
    if (windowNanos == 0) {
      return false;
    }
    if (skip > 0) {
      skip--;
      return false;
    }
    // The machine's clock, not the client's: the window bounds CPU spent, which a test's manual
    // clock does not measure (and would never end).
    long end = System.nanoTime() + Math.min(windowNanos, waitNanos);
    do {
      if (look.read(call)) {
        misses = 0;
        return true;
      }
      if (call.isDone()) {
        return true;
      }
      Thread.yield();
    } while (System.nanoTime() - end < 0);
    misses = Math.min(misses + 1, MOST_MISSES);
    skip = (1 << misses) - 1;
    return false;
  }
}
