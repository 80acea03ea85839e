package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.server.DuplicateRequestCache.Key;
import org.onyxrpc.server.DuplicateRequestCache.Verdict;

/**
 * Clients the cache forgot (more client ids than it has entries came in between) cost only the
 * address they called from, and only for the cache's ttl: another address's new client, or any
 * client once the ttl has passed, may still have a lost first transmission run. The forgotten
 * client itself never has a call run twice, even when it comes back with a new call first.
 */
class DuplicateRequestCacheForgottenClientsTest {
  private static final long EPOCH = 77;
  private static final Duration TTL = Duration.ofMinutes(1);

  private final long[] now = {0};
  private final DuplicateRequestCache cache = new DuplicateRequestCache(2, 1 << 20, TTL, () -> now[0]);

  private static Key key(long client, int xid) {
    return new Key(client, client, null, xid, 1, 1, 1, 0);
  }

  private Verdict begin(long client, int xid, int attempt, Object sender) {
    return cache.begin(key(client, xid), new CallTag(client, client, true, attempt, EPOCH), EPOCH,
        sender).verdict();
  }

  private void run(long client, int xid, Object sender) {
    assertEquals(Verdict.EXECUTE, begin(client, xid, 1, sender));
    cache.complete(key(client, xid), new byte[8]);
  }

  /** Far more client ids than the cache has entries, each from {@code sender}. */
  private void flood(Object sender) {
    for (int c = 100; c < 110; c++) {
      run(c, 1, sender);
    }
  }

  @Test
  void aFloodCostsOnlyItsOwnAddressAndOnlyForTheTtl() {
    run(1, 1, "polite");
    flood("flood");
    now[0] += Duration.ofSeconds(1).toNanos();
    assertEquals(Verdict.REPLAY, begin(1, 1, 2, "polite"));
    assertEquals(Verdict.EXECUTE, begin(2, 5, 2, "elsewhere"), "a lost first transmission from elsewhere runs");
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(3, 5, 2, "flood"), "the flood's own clients may have been forgotten");

    now[0] += TTL.toNanos();
    assertEquals(Verdict.EXECUTE, begin(4, 5, 2, "flood"), "past the ttl nobody forgotten can still retransmit");
    assertEquals(1, cache.outcomeUnknown.sum());
  }

  @Test
  void aFloodPushesOutItsOwnClientsNotAnotherAddresss() {
    DuplicateRequestCache big = new DuplicateRequestCache(8, 1 << 20, TTL, () -> now[0]);
    for (long c = 1; c <= 3; c++) {
      assertEquals(Verdict.EXECUTE, big.begin(key(c, 1), new CallTag(c, c, true, 1, EPOCH), EPOCH,
          "polite").verdict());
      big.complete(key(c, 1), new byte[8]);
    }
    for (long c = 100; c < 1100; c++) {
      assertEquals(Verdict.EXECUTE, big.begin(key(c, 1), new CallTag(c, c, true, 1, EPOCH), EPOCH,
          "flood").verdict());
      big.abandon(key(c, 1));
    }
    assertEquals(Verdict.EXECUTE, big.begin(key(4, 5), new CallTag(4, 4, true, 2, EPOCH), EPOCH,
        "polite").verdict(), "nobody from the polite address was forgotten");
    assertEquals(Verdict.OUTCOME_UNKNOWN, big.begin(key(5, 5), new CallTag(5, 5, true, 2, EPOCH),
        EPOCH, "flood").verdict());
  }

  @Test
  void aForgottenClientNeverHasACallRunTwice() {
    for (int xid = 1; xid <= 3; xid++) {
      run(1, xid, "polite"); // its share is one entry: xids 1 and 2 are evicted, its floor is 2
    }
    for (int c = 100; c < 110; c++) { // calls without a reply from its address: clients pile up
      assertEquals(Verdict.EXECUTE, begin(c, 1, 1, "polite"));
      cache.abandon(key(c, 1));
    }
    // Client 1 is forgotten; its reply to xid 3 is all that is left of it.
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(1, 2, 2, "polite"));
    assertEquals(Verdict.EXECUTE, begin(1, 10, 1, "polite"), "it comes back with a new call first");
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(1, 1, 2, "polite"), "an older xid may have run");
    assertEquals(Verdict.EXECUTE, begin(1, 11, 2, "polite"), "a newer one never arrived");
  }

  @Test
  void tooManyForgottenAddressesMarkEveryAddressButOnlyForTheTtl() {
    for (int c = 0; c <= DuplicateRequestCache.MAX_FORGOTTEN_ADDRESSES + 10; c++) {
      run(1000 + c, 1, "host " + c);
    }
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(2, 5, 2, "elsewhere"), "the oldest marks widened to everyone");
    now[0] += TTL.toNanos() + 1;
    assertEquals(Verdict.EXECUTE, begin(2, 5, 2, "elsewhere"));
    assertEquals(Verdict.EXECUTE, begin(3, 5, 2, "host 5"));
  }

  /** Floods from two addresses, each within its half, that push everyone else out together. */
  private void floodTogether() {
    for (int c = 100; c < 110; c++) {
      run(c, 1, c % 2 == 0 ? "flood1" : "flood2");
    }
  }

  @Test
  void aCallWithAClientsIdFromElsewhereDoesNotMoveItsMarkOffTheClientsAddress() {
    run(1, 10, "victim"); // its reply lost: the client will retransmit
    now[0] += 1_000;
    run(1, 11, "attacker"); // the client id, read off the wire, sent from another address
    floodTogether(); // xid 10 is evicted, then the client forgotten
    // Marked at the attacker's address alone (the last its calls came from), the victim's own
    // was not, and this ran a second time.
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(1, 10, 2, "victim"));
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(1, 12, 2, "attacker"));
    assertEquals(Verdict.EXECUTE, begin(2, 5, 2, "elsewhere"), "others' are not marked");
  }

  @Test
  void aClientIdSentFromManyAddressesMarksEveryAddressWhenForgotten() {
    run(1, 10, "victim");
    for (int i = 1; i <= 4; i++) {
      run(1, 10 + i, "attacker" + i);
    }
    floodTogether();
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(1, 10, 2, "victim"));
    assertEquals(Verdict.OUTCOME_UNKNOWN, begin(2, 5, 2, "elsewhere"));
    now[0] += TTL.toNanos();
    assertEquals(Verdict.EXECUTE, begin(3, 5, 2, "elsewhere"), "only for the ttl");
  }
}
