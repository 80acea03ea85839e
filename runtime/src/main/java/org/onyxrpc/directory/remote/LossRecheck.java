package org.onyxrpc.directory.remote;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long an {@link InstanceCache}'s look-up is good for: the client's {@code cacheTtl}, or less
 * for a while after an instance was lost. A server stopped for an upgrade withdraws its entry,
 * and the look-up its loss makes due finds the others only; restarted a moment later, it was
 * called only once the cache's {@code cacheTtl} (30 s) was up. So after a loss the directory is
 * asked again 1 s later, then after 2, 4, 8 and 16 s, until a look-up lists as many live
 * instances as before the loss or the next wait would reach {@code cacheTtl}: at most five more
 * look-ups per loss, however many calls the client makes.
 *
 * <p>Read by every caller ({@link #ttlNanos}, one volatile read per call, where the call read the
 * configured duration), written on a loss (any caller's thread) and by the look-up (one at a
 * time). A loss racing a look-up at worst costs one look-up more or one less.
 */
final class LossRecheck {
  static final long FIRST_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int NONE = -1;

  private final long cacheTtlNanos;
  private volatile long ttlNanos;
  private volatile int liveBeforeLoss = NONE;
  private volatile boolean backOff; // the look-up the loss made due has been made

  LossRecheck(Duration cacheTtl) {
    this.cacheTtlNanos = cacheTtl.toNanos();
    this.ttlNanos = cacheTtlNanos;
  }

  /** How long a look-up is good for now, in nanoseconds. */
  long ttlNanos() {
    return ttlNanos;
  }

  /** An instance was lost (dropped) while {@code live} instances were live, it included. */
  void lost(int live) {
    if (liveBeforeLoss != NONE || cacheTtlNanos <= FIRST_NANOS) {
      return; // already looking again (a second loss counts from the first), or no shorter
    }
    backOff = false;
    ttlNanos = FIRST_NANOS;
    liveBeforeLoss = live;
  }

  /** A look-up listed {@code live} instances not dropped. */
  void lookedUp(int live) {
    int before = liveBeforeLoss;
    if (before == NONE) {
      return;
    }
    if (live >= before) {
      end(); // the lost instance is back (or another took its place)
    } else if (!backOff) {
      backOff = true; // the look-up made at the loss: the first wait, 1 s, begins
    } else if (ttlNanos * 2 >= cacheTtlNanos) {
      end();
    } else {
      ttlNanos *= 2;
    }
  }

  private void end() {
    liveBeforeLoss = NONE;
    ttlNanos = cacheTtlNanos;
  }
}
