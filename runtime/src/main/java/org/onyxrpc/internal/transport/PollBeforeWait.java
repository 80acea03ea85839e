package org.onyxrpc.internal.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * A thread's look for input before it sleeps in the kernel for it: it tries to read its socket,
 * yielding its CPU once and then spinning between tries, for up to a short window. Input that comes within it is read
 * without a wake-up, which on a virtual machine with idle CPUs costs as much as the rest of a
 * small call. Used by a caller-runs client's leader waiting for its reply's bytes, an
 * event-loop client's sync caller waiting for the loop to complete its call (its look reads no
 * socket), and a server's UDP socket with a thread of its own waiting for the next call.
 *
 * <p>The first yield lets the peer, when the scheduler put it on the same CPU (it often wakes a
 * thread beside the one that wrote to it), run at once: a plain spin made it wait for the
 * window's end, which by hand raised the p99 of a sync call by the window. Only one: each yield
 * pushes the thread's deadline a slice later under Linux's EEVDF scheduler, and a thread whose
 * looks find its input never sleeps, which would set it afresh, so a yield per try handed the
 * CPU to a low-priority task now and then for a whole slice, the input meanwhile unread (with
 * both CPUs busy, p99 3 ms in 2 of 6 rounds for the C client's UDP calls to Onyx's server and for
 * Onyx's to the C server; none in 6 with one yield: benchmarks/BENCHMARKS.md, session 57). Each
 * look is a read, not a {@code selectNow}: by hand (busy CPUs, three alternating rounds) a
 * selector's look cost about a microsecond a call more, its own {@code epoll_wait} and the
 * selector's bookkeeping before the read that follows it.
 *
 * <p>A window that passes with nothing makes the next 1, then 3, 7, ... up to 1,023 waits skip
 * their look, so a slow peer costs next to no CPU; input within a window starts afresh. And
 * after {@link #MOST_HITS} looks in a row that found input, the next wait sleeps without one: a
 * thread whose looks always find its input never sleeps, and the scheduler then takes it for a
 * CPU-bound one, which a low-priority task on its CPU preempts for a whole slice now and then
 * (with both CPUs busy, Onyx's client and server in one JVM calling over UDP back to back made a
 * p99 of 2.5 to 3 ms in 3 of 4 rounds, every wait a look: benchmarks/BENCHMARKS.md, session 57).
 * A thread that sleeps now and then leaves such a task its share in those sleeps, and preempts it
 * when it wakes. One thread's at a time.
 *
 * @param <T> what a look is for (a client's call; nothing in particular for a server's socket)
 */
public final class PollBeforeWait<T> {
  /** Reads what has come for {@code subject}, without waiting; true ends the look. */
  public interface Look<T> {
    boolean read(T subject) throws IOException;
  }

  private static final int MOST_MISSES = 10;
  /** Looks in a row that found input, after which a wait sleeps without one. */
  static final int MOST_HITS = 16;
  private static final Duration DEFAULT_WINDOW = Duration.ofNanos(50_000);
  private static final Duration MOST_WINDOW = Duration.ofMillis(10);

  private final long windowNanos;
  private final Look<T> look;
  /** Windows that passed with nothing, in a row, up to {@link #MOST_MISSES}. */
  private int misses;
  /** Waits that are still to skip their look. */
  private int skip;
  /** Looks in a row that found input, up to {@link #MOST_HITS}. */
  private int hits;

  /**
   * A builder's default window: 50 µs on a machine with more than one CPU, zero (no look) on one,
   * where a look could only keep the peer from the CPU it needs.
   */
  public static Duration defaultWindow() {
    return Runtime.getRuntime().availableProcessors() > 1 ? DEFAULT_WINDOW : Duration.ZERO;
  }

  /**
   * {@code window}, a builder's {@code pollBeforeWaiting}, if it is zero to 10 ms.
   *
   * @throws IllegalArgumentException if it is negative or longer than 10 ms
   */
  public static Duration checkedWindow(Duration window) {
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.compareTo(MOST_WINDOW) > 0) {
      throw new IllegalArgumentException("pollBeforeWaiting must be zero to 10 ms: " + window);
    }
    return window;
  }

  /** {@code windowNanos} zero never looks. */
  public PollBeforeWait(long windowNanos, Look<T> look) {
    this.windowNanos = windowNanos;
    this.look = look;
  }

  /**
   * Looks until a look ends it or the window or {@code waitNanos} passes; true in the first
   * case, when the thread need not wait.
   */
  public boolean arrived(long waitNanos, T subject) throws IOException {
    if (windowNanos == 0) {
      return false;
    }
    if (skip > 0) {
      skip--;
      return false;
    }
    if (hits == MOST_HITS) {
      hits = 0;
      return false; // a sleep now and then: see the class's doc
    }
    // The machine's clock, not an injected one: the window bounds CPU spent, which a test's
    // manual clock does not measure (and would never end).
    long end = System.nanoTime() + Math.min(windowNanos, waitNanos);
    boolean yielded = false;
    do {
      if (look.read(subject)) {
        misses = 0;
        hits++;
        return true;
      }
      if (yielded) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
        yielded = true;
      }
    } while (System.nanoTime() - end < 0);
    misses = Math.min(misses + 1, MOST_MISSES);
    skip = (1 << misses) - 1;
    hits = 0;
    return false;
  }
}
