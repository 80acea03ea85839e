package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.server.DuplicateRequestCache.Key;
import org.onyxrpc.server.DuplicateRequestCache.Verdict;

/**
 * Several addresses flooding the cache together, each within its share (half), push out a
 * well-behaved client's recent at-most-once entries. A tagged call (an Onyx client's) is then
 * told "outcome unknown" on retransmission, never run twice. An untagged one (a C client's over
 * UDP, keyed by address, xid and arguments) used to run again: its retransmission is now
 * recognised by what the cache keeps of an entry pushed out before its ttl, and told "outcome
 * unknown" too; and when so many are pushed out that those traces overflow, the client's
 * address is marked for the rest of the ttl, its untagged calls the cache cannot account for
 * answered "outcome unknown" rather than run.
 */
class DuplicateRequestCacheSeveralFloodersTest {
  private static final long EPOCH = 77;
  private static final Duration TTL = Duration.ofMinutes(1);
  private static final int ENTRIES = 8;
  private static final String[] FLOODERS = {"127.0.0.2", "127.0.0.3", "127.0.0.4"};

  private final long[] now = {0};
  private final DuplicateRequestCache cache =
      new DuplicateRequestCache(ENTRIES, 1 << 20, TTL, () -> now[0]);

  private static Key tagged(long client, int xid) {
    return new Key(client, client, null, xid, 1, 1, 1, 0);
  }

  private static Key untagged(String host, int port, int xid) {
    return new Key(0, 0, new InetSocketAddress(host, port), xid, 1, 1, 1, 42);
  }

  private Verdict begin(long client, int xid, int attempt, Object sender) {
    return cache.begin(tagged(client, xid), new CallTag(client, client, true, attempt, EPOCH),
        EPOCH, sender).verdict();
  }

  private Verdict beginUntagged(String host, int port, int xid) {
    return cache.begin(untagged(host, port, xid), null, EPOCH, host).verdict();
  }

  /** Each flooding address fills its share with calls that run, under fresh client ids. */
  private void flood(int rounds) {
    long client = 1000;
    for (int r = 0; r < rounds; r++) {
      for (String host : FLOODERS) {
        client++;
        assertEquals(Verdict.EXECUTE, begin(client, 1, 1, host));
        cache.complete(tagged(client, 1), new byte[8]);
        now[0] += 1_000;
      }
    }
  }

  @Test
  void aTaggedCallPushedOutByFloodersIsToldOutcomeUnknownNotRunTwice() {
    assertEquals(Verdict.EXECUTE, begin(1, 1, 1, "127.0.0.1"));
    cache.complete(tagged(1, 1), new byte[8]);
    flood(ENTRIES);
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(1, 1, 2, "127.0.0.1"), "pushed out: not run again");
  }

  @Test
  void anUntaggedCallPushedOutByFloodersIsToldOutcomeUnknownNotRunTwice() {
    assertEquals(Verdict.EXECUTE, beginUntagged("127.0.0.1", 700, 1));
    cache.complete(untagged("127.0.0.1", 700, 1), new byte[8]);
    flood(ENTRIES);
    assertEquals(Verdict.OUTCOME_UNKNOWN, beginUntagged("127.0.0.1", 700, 1),
        "its retransmission, its entry pushed out within the ttl: not run again");
    assertEquals(Verdict.EXECUTE, beginUntagged("127.0.0.1", 700, 2), "a new call runs");
  }

  /**
   * Each flooding address sends untagged calls under fresh xids, until its own pushed-out calls
   * mark its address and they are refused.
   */
  private void floodUntagged(String[] hosts, int rounds) {
    for (int r = 0; r < rounds; r++) {
      for (String host : hosts) {
        int xid = 1000 + r;
        if (beginUntagged(host, 900, xid) == Verdict.EXECUTE) {
          cache.complete(untagged(host, 900, xid), new byte[8]);
        }
        now[0] += 1_000;
      }
    }
  }

  @Test
  void whenTheirTracesOverflowTooTheAddressIsMarkedUntilTheTtlHasPassed() {
    assertEquals(Verdict.EXECUTE, beginUntagged("127.0.0.1", 700, 1));
    cache.complete(untagged("127.0.0.1", 700, 1), new byte[8]);
    floodUntagged(FLOODERS, 4 * ENTRIES);
    assertEquals(Verdict.OUTCOME_UNKNOWN, beginUntagged("127.0.0.1", 700, 1), "not run again");
    assertEquals(Verdict.OUTCOME_UNKNOWN, beginUntagged("127.0.0.1", 701, 2),
        "a call of the marked address the cache cannot account for is not run either");
    now[0] += TTL.toNanos();
    assertEquals(Verdict.EXECUTE, beginUntagged("127.0.0.1", 701, 2), "past the ttl it runs");
  }

  @Test
  void oneFloodingAddressAloneCostsOnlyItself() {
    assertEquals(Verdict.EXECUTE, beginUntagged("127.0.0.1", 700, 1));
    cache.complete(untagged("127.0.0.1", 700, 1), new byte[8]);
    floodUntagged(new String[] {FLOODERS[0]}, 4 * ENTRIES);
    assertEquals(Verdict.REPLAY, beginUntagged("127.0.0.1", 700, 1), "its entry is still there");
    assertEquals(Verdict.EXECUTE, beginUntagged("127.0.0.1", 700, 2));
    assertEquals(Verdict.OUTCOME_UNKNOWN, beginUntagged(FLOODERS[0], 900, 1000),
        "the flood's own pushed-out calls are not run again");
  }
}
