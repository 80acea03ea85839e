package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bound on TLS handshakes per client address: who runs, who waits, in what order. */
class HandshakeSlotsTest {
  private final HandshakeSlots slots = new HandshakeSlots(2);
  private final List<String> granted = new ArrayList<>();

  private Runnable grant(String name) {
    return () -> granted.add(name);
  }

  @Test
  void anAddressOverItsBoundWaitsInOrderAndOthersDoNot() {
    assertTrue(slots.acquire("a", grant("a1")));
    assertTrue(slots.acquire("a", grant("a2")));
    assertFalse(slots.acquire("a", grant("a3")));
    assertFalse(slots.acquire("a", grant("a4")));
    assertTrue(slots.acquire("b", grant("b1")), "another address has its own slots");
    assertEquals(2, slots.waiting());

    slots.release("a");
    assertEquals(List.of("a3"), granted, "the first in line takes the slot");
    slots.release("a");
    slots.release("a");
    slots.release("a");
    assertEquals(List.of("a3", "a4"), granted);
    slots.release("b");
    assertEquals(0, slots.addresses(), "an address with nothing running is forgotten");
  }

  @Test
  void aWaiterThatLeavesGivesUpItsPlaceAndOneGrantedMustRelease() {
    assertTrue(slots.acquire("a", grant("a1")));
    assertTrue(slots.acquire("a", grant("a2")));
    Runnable leaving = grant("a3");
    assertFalse(slots.acquire("a", leaving));
    Runnable next = grant("a4");
    assertFalse(slots.acquire("a", next));
    assertTrue(slots.cancel("a", leaving));
    slots.release("a");
    assertEquals(List.of("a4"), granted);
    assertFalse(slots.cancel("a", next), "a4 was granted already: it releases instead");
    slots.release("a");
    slots.release("a");
    assertEquals(0, slots.addresses());
    assertEquals(0, slots.waiting());
  }
}
