package org.onyxrpc.server;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Addresses ({@code ClientAddress}) from which the {@link DuplicateRequestCache} forgot calls that
 * may still be retransmitted, each until when; past {@code max} addresses the oldest mark widens
 * to every address, for as long as it would have lasted. Bounded in place and in time. Not
 * thread-safe: a cache shard's, under its lock.
 */
final class ForgottenAddresses {
  /** The key of callers without an address (a local socket's). */
  private static final Object NO_ADDRESS = new Object();

  private final int max;
  // Per address {until, in nanos}, in the order marked: roughly the order of expiry.
  private final LinkedHashMap<Object, long[]> marks = new LinkedHashMap<>();
  private boolean everyone;
  private long everyoneUntil;

  ForgottenAddresses(int max) {
    this.max = max;
  }

  /** Marks {@code address} (null: no address) until {@code until}, unless marked longer. */
  void mark(Object address, long until) {
    Object key = address == null ? NO_ADDRESS : address;
    long[] mark = marks.remove(key);
    if (mark == null) {
      mark = new long[] {until};
    } else if (until - mark[0] > 0) {
      mark[0] = until;
    }
    marks.put(key, mark); // to the back: marks stay roughly in order of expiry
    if (marks.size() > max) {
      Iterator<long[]> oldest = marks.values().iterator();
      long widened = oldest.next()[0];
      oldest.remove();
      if (!everyone || widened - everyoneUntil > 0) {
        everyoneUntil = widened;
      }
      everyone = true;
    }
  }

  /** Marks every address until {@code until}, unless they are marked longer. */
  void markEveryone(long until) {
    if (!everyone || until - everyoneUntil > 0) {
      everyoneUntil = until;
    }
    everyone = true;
  }

  /** Whether {@code address} (null: no address) is marked at {@code now}. */
  boolean covers(Object address, long now) {
    if (everyone) {
      if (everyoneUntil - now > 0) {
        return true;
      }
      everyone = false;
    }
    if (marks.isEmpty()) {
      return false;
    }
    Iterator<long[]> oldest = marks.values().iterator();
    while (oldest.hasNext() && oldest.next()[0] - now <= 0) {
      oldest.remove(); // the stale ones are in front
    }
    long[] until = marks.get(address == null ? NO_ADDRESS : address);
    return until != null && until[0] - now > 0;
  }
}
