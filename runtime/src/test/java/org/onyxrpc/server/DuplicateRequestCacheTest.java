package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.server.DuplicateRequestCache.Key;
import org.onyxrpc.server.DuplicateRequestCache.Verdict;

class DuplicateRequestCacheTest {
  private static final long EPOCH = 77;

  private static Key key(long client, int xid) {
    return new Key(client, client, null, xid, 1, 1, 1, 0);
  }

  private static CallTag tag(long client, int attempt, long epoch) {
    return new CallTag(client, client, true, attempt, epoch);
  }

  private static Verdict begin(DuplicateRequestCache cache, long client, int xid, int attempt) {
    return cache.begin(key(client, xid), tag(client, attempt, EPOCH), EPOCH).verdict();
  }

  @Test
  void firstRunThenInProgressThenReplay() {
    DuplicateRequestCache cache = new DuplicateRequestCache(10, 1 << 20, Duration.ofMinutes(1));
    assertEquals(Verdict.EXECUTE, begin(cache, 1, 100, 1));
    assertEquals(Verdict.IN_PROGRESS, begin(cache, 1, 100, 2));
    cache.complete(key(1, 100), new byte[] {1, 2, 3});
    DuplicateRequestCache.Lookup replay = cache.begin(key(1, 100), tag(1, 3, EPOCH), EPOCH);
    assertEquals(Verdict.REPLAY, replay.verdict());
    assertArrayEquals(new byte[] {1, 2, 3}, replay.reply());
    assertEquals(1, cache.replayed.sum());
    assertEquals(1, cache.inProgressDropped.sum());
  }

  @Test
  void retransmissionOfACallThatNeverArrivedRuns() {
    DuplicateRequestCache cache = new DuplicateRequestCache(10, 1 << 20, Duration.ofMinutes(1));
    assertEquals(Verdict.EXECUTE, begin(cache, 1, 100, 1));
    assertEquals(Verdict.EXECUTE, begin(cache, 1, 101, 2)); // 101's first transmission was lost
  }

  @Test
  void retransmissionNamingAnotherEpochIsUnknown() {
    DuplicateRequestCache cache = new DuplicateRequestCache(10, 1 << 20, Duration.ofMinutes(1));
    assertEquals(Verdict.OUTCOME_UNKNOWN,
        cache.begin(key(1, 5), tag(1, 2, EPOCH - 1), EPOCH).verdict());
    assertEquals(Verdict.OUTCOME_UNKNOWN, cache.begin(key(1, 5), tag(1, 2, 0), EPOCH).verdict());
    // First transmissions run whatever epoch they name.
    assertEquals(Verdict.EXECUTE, cache.begin(key(1, 5), tag(1, 1, 0), EPOCH).verdict());
  }

  @Test
  void evictedCallsAreUnknownAndNewerOnesStillRun() {
    DuplicateRequestCache cache = new DuplicateRequestCache(2, 1 << 20, Duration.ofMinutes(1));
    for (int xid = 1; xid <= 4; xid++) {
      assertEquals(Verdict.EXECUTE, begin(cache, 1, xid, 1));
      cache.complete(key(1, xid), new byte[8]);
    }
    assertEquals(2, cache.size());
    assertEquals(16, cache.bytes());
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(cache, 1, 1, 2)); // evicted
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(cache, 1, 2, 2)); // evicted
    assertEquals(Verdict.REPLAY, begin(cache, 1, 4, 2));
    assertEquals(Verdict.EXECUTE, begin(cache, 1, 9, 2)); // above the floor: never arrived
    assertEquals(Verdict.EXECUTE, begin(cache, 2, 1, 2)); // another client's xids are its own
  }

  @Test
  void byteLimitAndAgeEvictToo() throws Exception {
    DuplicateRequestCache bytes = new DuplicateRequestCache(100, 10, Duration.ofMinutes(1));
    begin(bytes, 1, 1, 1);
    bytes.complete(key(1, 1), new byte[8]);
    begin(bytes, 1, 2, 1);
    bytes.complete(key(1, 2), new byte[8]);
    assertEquals(1, bytes.size());
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(bytes, 1, 1, 2));

    long[] now = {0};
    DuplicateRequestCache aged = new DuplicateRequestCache(100, 1 << 20, Duration.ofMillis(20),
        () -> now[0]);
    begin(aged, 1, 1, 1);
    aged.complete(key(1, 1), new byte[8]);
    now[0] += Duration.ofMillis(19).toNanos();
    assertEquals(Verdict.REPLAY, begin(aged, 1, 1, 2), "not yet aged");
    now[0] += Duration.ofMillis(2).toNanos();
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(aged, 1, 1, 2));
  }

  @Test
  void runningCallsAreNeverEvicted() {
    DuplicateRequestCache cache = new DuplicateRequestCache(1, 1 << 20, Duration.ofMinutes(1));
    begin(cache, 1, 1, 1); // still running
    begin(cache, 1, 2, 1);
    cache.complete(key(1, 2), new byte[4]);
    assertEquals(Verdict.IN_PROGRESS, begin(cache, 1, 1, 2));
  }

  @Test
  void forgottenClientsMakeUnknownClientsRetransmissionsUnknown() {
    DuplicateRequestCache cache = new DuplicateRequestCache(1, 1 << 20, Duration.ofMinutes(1));
    begin(cache, 1, 1, 1);
    cache.complete(key(1, 1), new byte[4]);
    assertEquals(Verdict.EXECUTE, begin(cache, 3, 50, 2)); // nobody forgotten yet: provably new
    begin(cache, 2, 1, 1); // the table of clients overflows: client 1 is forgotten
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(cache, 1, 7, 2));
  }

  @Test
  void untaggedUdpCallsAreKeyedByAddress() {
    DuplicateRequestCache cache = new DuplicateRequestCache(10, 1 << 20, Duration.ofMinutes(1));
    Key fromC = new Key(0, 0, new InetSocketAddress("127.0.0.1", 999), 42, 1, 1, 1, 0);
    assertEquals(Verdict.EXECUTE, cache.begin(fromC, null, EPOCH).verdict());
    cache.complete(fromC, new byte[] {9});
    assertEquals(Verdict.REPLAY, cache.begin(fromC, null, EPOCH).verdict());
    Key otherPort = new Key(0, 0, new InetSocketAddress("127.0.0.1", 998), 42, 1, 1, 1, 0);
    assertEquals(Verdict.EXECUTE, cache.begin(otherPort, null, EPOCH).verdict());
  }

  @Test
  void aLargeCacheIsShardedByClientAndKeepsTheRulesPerClient() {
    DuplicateRequestCache cache = new DuplicateRequestCache(65_536, 64 << 20, Duration.ofMinutes(1));
    for (long client = 1; client <= 1_000; client++) {
      assertEquals(Verdict.EXECUTE, begin(cache, client, 7, 1));
      assertEquals(Verdict.IN_PROGRESS, begin(cache, client, 7, 2));
      cache.complete(key(client, 7), new byte[] {(byte) client});
    }
    for (long client = 1; client <= 1_000; client++) {
      DuplicateRequestCache.Lookup replay = cache.begin(key(client, 7), tag(client, 3, EPOCH), EPOCH);
      assertArrayEquals(new byte[] {(byte) client}, replay.reply());
    }
    assertEquals(1_000, cache.size());
    assertEquals(1_000, cache.bytes());
  }

  @Test
  void oneBusyClientHoldsHalfOfALargeCacheNotHalfOfAShard() {
    DuplicateRequestCache cache = new DuplicateRequestCache(65_536, 64 << 20, Duration.ofMinutes(1));
    Object host = "10.0.0.1"; // every call from one address, as a busy client's are
    for (int xid = 1; xid <= 25_000; xid++) {
      cache.begin(key(1, xid), tag(1, 1, EPOCH), EPOCH, host);
      cache.complete(key(1, xid), new byte[] {(byte) xid});
    }
    // A lost reply of the first call, retransmitted after 24,999 more: still saved (sharded by
    // client alone, the client had 2,048 entries, one shard's half, and this was unknown).
    DuplicateRequestCache.Lookup replay = cache.begin(key(1, 1), tag(1, 2, EPOCH), EPOCH, host);
    assertEquals(Verdict.REPLAY, replay.verdict());
    assertArrayEquals(new byte[] {1}, replay.reply());
    // A first transmission lost back then and retransmitted now runs: no floor above it.
    assertEquals(Verdict.EXECUTE, cache.begin(key(1, 25_001), tag(1, 2, EPOCH), EPOCH, host).verdict());
  }

  @Test
  void manyRunningCallsDoNotHoldUpEviction() {
    DuplicateRequestCache cache = new DuplicateRequestCache(10, 1 << 20, Duration.ofMinutes(1));
    for (int xid = 1; xid <= 10_000; xid++) {
      begin(cache, 1, xid, 1); // running, beyond the entry limit: kept, never stepped over
    }
    begin(cache, 2, 1, 1);
    cache.complete(key(2, 1), new byte[4]);
    assertEquals(10_000, cache.size(), "finished entries go first, running ones stay");
    assertEquals(Verdict.IN_PROGRESS, begin(cache, 1, 5_000, 2));
  }
}
