package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The local socket relay keeps an eighth of its places for root, as the directory's store keeps an
 * eighth of its entries: two local users who each hold their whole share (half) leave root's
 * daemons room to register. Before, they took all 256 places and root's connections were closed
 * on arrival. (Unit-tested: the tests run as one uid, and the relay counts what the kernel says.)
 */
class RelaySlotsTest {
  private static int takeAll(RelaySlots slots, int uid) {
    int taken = 0;
    while (slots.take(uid)) {
      taken++;
    }
    return taken;
  }

  @Test
  void twoUsersTogetherLeaveAnEighthForRoot() {
    RelaySlots slots = new RelaySlots();
    assertEquals(RelaySlots.MAX_CONNECTIONS_PER_UID, takeAll(slots, 1000));
    int second = takeAll(slots, 1001);
    assertEquals(RelaySlots.MAX_CONNECTIONS_NOT_ROOT - RelaySlots.MAX_CONNECTIONS_PER_UID, second,
        "the second user gets what is left of the places not kept for root");
    assertFalse(slots.take(1002), "nor does a third");
    assertEquals(RelaySlots.MAX_CONNECTIONS / 8, takeAll(slots, 0), "root's eighth");
    slots.release(1000);
    assertTrue(slots.take(1002), "a place a user gave back is another user's");
  }

  @Test
  void rootTooHoldsAtMostHalfAndCountsOnlyInTheWhole() {
    RelaySlots slots = new RelaySlots();
    assertEquals(RelaySlots.MAX_CONNECTIONS_PER_UID, takeAll(slots, 0));
    assertEquals(RelaySlots.MAX_CONNECTIONS_PER_UID, takeAll(slots, 1000));
    slots.release(0);
    assertTrue(slots.take(0));
    assertFalse(slots.take(1001));
  }
}
