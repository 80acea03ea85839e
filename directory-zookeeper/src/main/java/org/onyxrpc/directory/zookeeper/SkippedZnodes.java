package org.onyxrpc.directory.zookeeper;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.onyxrpc.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Znodes under the directory's path that are not entries (written by something else, or wrong):
 * counted per read of the path and reported in one warning at most every {@link #WARN_EVERY},
 * so that garbage read every second neither floods the log nor goes unsaid. Owned by the store's
 * refresher thread.
 */
final class SkippedZnodes {
  /** Shortest time between two warnings. */
  static final long WARN_EVERY = TimeUnit.MINUTES.toNanos(1);
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperDirectoryStore.class);

  private final LongSupplier nanoTime;
  private long warnedAt;
  private boolean everWarned;
  private int inRead;
  private int lastRead;
  private String example;

  SkippedZnodes(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** One znode of this read is skipped, because of {@code why}. */
  void skip(String path, String why) {
    // Whoever can write to the ensemble chose the znode's data, which the reason may quote (an
    // entry's address, a name over its bound): escaped, so each line stays one line.
    if (inRead++ == 0) {
      example = RateLimitedLog.escaped(path + " (" + why + ")");
    }
    RateLimitedLog.debugOneLine(LOG, "skipped {}: {}", path, why);
  }

  /** The read is over; returns true if it logged a warning about what it skipped. */
  boolean endRead() {
    lastRead = inRead;
    inRead = 0;
    long now = nanoTime.getAsLong();
    if (lastRead == 0 || everWarned && now - warnedAt < WARN_EVERY) {
      return false;
    }
    everWarned = true;
    warnedAt = now;
    LOG.warn("{} znodes under the directory's path are not Onyx entries and are skipped, e.g. {}; said again"
        + " in a minute at the earliest", lastRead, example);
    return true;
  }

  /** How many znodes the last read skipped. */
  int lastRead() {
    return lastRead;
  }
}
