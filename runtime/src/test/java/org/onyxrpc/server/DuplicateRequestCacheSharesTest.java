package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.server.DuplicateRequestCache.Key;
import org.onyxrpc.server.DuplicateRequestCache.Verdict;

/**
 * Client ids and xids are the caller's to choose: one address that floods the cache with
 * at-most-once calls, under as many client ids as it likes, holds at most half of it and then
 * flushes its own replies, so another client's retransmission is still answered from the cache
 * rather than told "outcome unknown".
 */
class DuplicateRequestCacheSharesTest {
  private static final long EPOCH = 77;

  private static Key key(long client, int xid) {
    return new Key(client, client, null, xid, 1, 1, 1, 0);
  }

  private static Verdict begin(DuplicateRequestCache cache, long client, int xid, int attempt,
      Object sender) {
    return cache.begin(key(client, xid), new CallTag(client, client, true, attempt, EPOCH), EPOCH,
        sender).verdict();
  }

  @Test
  void aFloodingAddressFlushesItsOwnEntriesNotAnothersInEntries() {
    DuplicateRequestCache cache = new DuplicateRequestCache(8, 1 << 20, Duration.ofMinutes(1));
    for (int xid = 1; xid <= 3; xid++) {
      assertEquals(Verdict.EXECUTE, begin(cache, 1, xid, 1, "polite"));
      cache.complete(key(1, xid), new byte[8]);
    }
    for (int c = 100; c < 1100; c++) { // a thousand client ids, one address
      assertEquals(Verdict.EXECUTE, begin(cache, c, 1, 1, "flood"));
      cache.complete(key(c, 1), new byte[8]);
    }
    assertEquals(7, cache.size(), "the flood's 4 and the polite client's 3");
    for (int xid = 1; xid <= 3; xid++) {
      assertEquals(Verdict.REPLAY, begin(cache, 1, xid, 2, "polite"));
    }
    assertEquals(Verdict.REPLAY, begin(cache, 1099, 1, 2, "flood"));
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(cache, 100, 1, 2, "flood"));
  }

  @Test
  void andInBytes() {
    DuplicateRequestCache cache = new DuplicateRequestCache(100, 1000, Duration.ofMinutes(1));
    assertEquals(Verdict.EXECUTE, begin(cache, 1, 1, 1, "polite"));
    cache.complete(key(1, 1), new byte[300]);
    for (int c = 100; c < 120; c++) {
      assertEquals(Verdict.EXECUTE, begin(cache, c, 1, 1, "flood"));
      cache.complete(key(c, 1), new byte[200]);
    }
    assertEquals(300 + 2 * 200, cache.bytes(), "the flood holds half the bytes");
    assertEquals(Verdict.REPLAY, begin(cache, 1, 1, 2, "polite"));
  }

  @Test
  void callsWithoutASenderAreCountedOnlyInTheWhole() {
    DuplicateRequestCache cache = new DuplicateRequestCache(4, 1 << 20, Duration.ofMinutes(1));
    for (int xid = 1; xid <= 6; xid++) {
      assertEquals(Verdict.EXECUTE, begin(cache, 1, xid, 1, null));
      cache.complete(key(1, xid), new byte[8]);
    }
    assertEquals(4, cache.size());
    assertEquals(Verdict.REPLAY, begin(cache, 1, 3, 2, null));
  }
}
