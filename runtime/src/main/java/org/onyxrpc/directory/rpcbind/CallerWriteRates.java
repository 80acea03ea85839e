package org.onyxrpc.directory.rpcbind;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.rpcbind.Owners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How fast each caller (see {@link Callers#caller}) may change the directory's store: SET, UNSET,
 * REGISTER and UNREGISTER, charged only when they write it ({@link #permit}, asked just before
 * the write; over ZooKeeper, a write of the ensemble every host shares, on the store's one thread). A token bucket per caller: {@code burst} changes at once,
 * then {@code perSecond}. An honest server changes a few entries per version and transport at
 * start and stop, and renews each every third of its lease; one that toggles an entry without
 * pause is refused, as rpcbind refuses a SET (FALSE), and counted. The superuser is not paced, as
 * it has no share ({@link CallerShares}). Time is the table's clock, so tests need no sleeps.
 */
final class CallerWriteRates {
  private static final Logger LOG = LoggerFactory.getLogger(CallerWriteRates.class);
  /** Changes a caller may make per second past its burst. */
  static final int DEFAULT_PER_SECOND = 100;
  /** Callers tracked at once; past it, the new ones share one bucket. */
  private static final int MAX_CALLERS = 4096;
  private static final Object OTHERS = "callers past the tracked ones";

  private final LongSupplier millis;
  private final int burst;
  private final int perSecond;
  /** Each caller's bucket; guarded by this. */
  private final Map<Object, Bucket> buckets = new HashMap<>();
  private final LongAdder refused = new LongAdder();
  private final RateLimitedLog refusals = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);

  /** Tokens (scaled by 1000, so a millisecond's refill is whole) and when they were counted. */
  private static final class Bucket {
    long milliTokens;
    long at;
  }

  CallerWriteRates(LongSupplier millis, int burst, int perSecond) {
    this.millis = millis;
    this.burst = burst;
    this.perSecond = perSecond;
  }

  /** No pace: for the services built alone, in tests of their other rules. */
  static CallerWriteRates unpaced() {
    return new CallerWriteRates(() -> 0L, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  /** Takes one change from {@code caller}'s bucket; false (and counted) if it has none left. */
  synchronized boolean take(Object caller, String owner) {
    if (Owners.SUPERUSER.equals(owner)) {
      return true;
    }
    long now = millis.getAsLong();
    Bucket bucket = bucketOf(caller, now);
    bucket.milliTokens = refilled(bucket, now);
    bucket.at = Math.max(bucket.at, now);
    if (bucket.milliTokens < 1000) {
      refused.increment();
      // Told, not only counted: an operator sees the pace at work and whom it stops.
      refusals.warn(LOG, "refusing a change of the directory by {}: past its pace of {} changes at once,"
          + " then {} a second", Callers.describe(caller), burst, perSecond);
      return false;
    }
    bucket.milliTokens -= 1000;
    return true;
  }

  /**
   * What a call asks before it writes the store: takes one change from {@code caller}'s bucket the
   * first time it is asked, and answers the same from then on (a call is one change, however many
   * entries it removes). Never asked, it takes nothing: a SET of a mapping already there, an
   * UNSET of nothing and a renewal the table does not write are not charged.
   */
  BooleanSupplier permit(Object caller, String owner) {
    return new BooleanSupplier() {
      private Boolean taken;

      @Override
      public boolean getAsBoolean() {
        if (taken == null) {
          taken = take(caller, owner);
        }
        return taken;
      }
    };
  }

  private Bucket bucketOf(Object caller, long now) {
    Bucket bucket = buckets.get(caller);
    if (bucket != null) {
      return bucket;
    }
    if (buckets.size() >= MAX_CALLERS) {
      forgetFull(now);
    }
    Object key = buckets.size() < MAX_CALLERS ? caller : OTHERS;
    return buckets.computeIfAbsent(key, k -> {
      Bucket fresh = new Bucket();
      fresh.milliTokens = burst * 1000L;
      fresh.at = now;
      return fresh;
    });
  }

  /** Forgets the buckets refilled by now: a caller without one starts full, as they are. */
  private void forgetFull(long now) {
    for (Iterator<Bucket> i = buckets.values().iterator(); i.hasNext(); ) {
      Bucket b = i.next();
      if (refilled(b, now) == burst * 1000L) {
        i.remove();
      }
    }
  }

  /** A bucket's milli-tokens at {@code now}: a millisecond adds {@code perSecond}, up to the burst. */
  private long refilled(Bucket b, long now) {
    long full = burst * 1000L;
    long elapsed = Math.max(0, now - b.at);
    // Compared before multiplying: a long idle time times the rate would overflow.
    return elapsed > (full - b.milliTokens) / perSecond ? full : b.milliTokens + elapsed * perSecond;
  }

  /** Changes refused so far. */
  long refused() {
    return refused.sum();
  }
}
