package org.onyxrpc.directory.zookeeper;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * How long ago a {@link ZooKeeperDirectoryStore} last read the other directories' entries, and
 * whether that is too long ago to serve them ({@code Builder.maxStaleness}).
 */
final class SnapshotAge {
  /** Measures the snapshot's age: {@link System#nanoTime} but in tests. */
  private final LongSupplier ticker;
  private final long maxStaleNanos;
  /** When the last read of the other directories' entries that succeeded began, by {@link #ticker}. */
  private volatile long readAt;
  /** The snapshot has been found older than the bound, and said so once. */
  private final AtomicBoolean tooOld = new AtomicBoolean();

  SnapshotAge(LongSupplier ticker, long maxStaleNanos) {
    this.ticker = ticker;
    this.maxStaleNanos = maxStaleNanos;
  }

  /** The time now, by the ticker: taken when a read begins, and given to {@link #readBegan} once it succeeded. */
  long now() {
    return ticker.getAsLong();
  }

  /** A read begun at {@code started} succeeded: the snapshot is as old as that. */
  void readBegan(long started) {
    readAt = started;
    tooOld.set(false);
  }

  /**
   * True if the last read that succeeded began longer ago than the bound; the first time it is
   * found so since that read, {@code firstTime} runs, to say so once per outage.
   */
  boolean tooOld(Runnable firstTime) {
    if (ticker.getAsLong() - readAt <= maxStaleNanos) {
      return false;
    }
    if (tooOld.compareAndSet(false, true)) {
      firstTime.run();
    }
    return true;
  }

  long maxStaleNanos() {
    return maxStaleNanos;
  }
}
