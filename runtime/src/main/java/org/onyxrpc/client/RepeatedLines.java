package org.onyxrpc.client;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One kind of a client's failure lines, at most one per interval: a client that keeps calling a
 * server that is down (a server renewing its lease every second with a directory that stopped,
 * an application retrying in a loop) writes one line per interval rather than one per call, and
 * the next line says how many were left out. The counters of {@link ClientStats} still count
 * every call.
 */
final class RepeatedLines {
  /** Time between two lines of one kind. */
  static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Logger log;
  private final LongSupplier nanoClock;
  private final AtomicLong nextLine;
  private final AtomicLong leftOut = new AtomicLong();

  RepeatedLines(Logger log, LongSupplier nanoClock) {
    this.log = log;
    this.nanoClock = nanoClock;
    this.nextLine = new AtomicLong(nanoClock.getAsLong());
  }

  /** Logs at INFO, unless a line of this kind was logged less than an interval ago. */
  void info(String format, Object... args) {
    if (!log.isInfoEnabled()) {
      return;
    }
    long now = nanoClock.getAsLong();
    long next = nextLine.get();
    if (now - next < 0 || !nextLine.compareAndSet(next, now + INTERVAL_NANOS)) {
      leftOut.incrementAndGet();
      return;
    }
    long skipped = leftOut.getAndSet(0);
    if (skipped == 0) {
      log.info(format, args);
    } else {
      Object[] withCount = Arrays.copyOf(args, args.length + 1);
      withCount[args.length] = skipped;
      log.info(format + " ({} similar lines left out)", withCount);
    }
  }
}
