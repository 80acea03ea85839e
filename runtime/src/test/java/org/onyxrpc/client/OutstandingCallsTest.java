package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodecs;

/** The table of outstanding calls: by xid, with calls whose slot is taken kept aside. */
class OutstandingCallsTest {
  private static final Procedure<Void, Void> NULL = new Procedure<>(1, 1, 0, "NULL",
      XdrCodecs.VOID, XdrCodecs.VOID, CallSemantics.AT_LEAST_ONCE);

  private final OutstandingCalls table = new OutstandingCalls(new ClientCounters(), 16);
  private final CallSteps steps = new TableCallSteps(new DrainingOwner(), table);

  private PendingCall<Void, Void> call(int xid) {
    return new PendingCall<>(steps, xid, NULL, null, CallSemantics.AT_LEAST_ONCE, 0,
        1_000, 100, true, null);
  }

  @Test
  void callsSharingASlotAreEachFoundByTheirOwnXid() {
    PendingCall<?, ?> older = call(3);
    PendingCall<?, ?> sameSlot = call(3 + 16); // one turn of the 16 slots later
    PendingCall<?, ?> negative = call(3 - 16 * 1000);
    table.add(older, true);
    table.add(sameSlot, true);
    table.add(negative, false);
    assertEquals(3, table.size());
    assertEquals(2, table.limitedSize());

    assertSame(sameSlot, table.take(3 + 16));
    assertNull(table.take(3 + 16), "a duplicate reply finds nothing");
    assertSame(negative, table.take(3 - 16 * 1000));
    assertSame(older, table.take(3));
    assertNull(table.take(3));
    assertEquals(0, table.size());
    assertEquals(0, table.limitedSize());
  }

  @Test
  void removeTakesOnlyThatCall() {
    PendingCall<?, ?> first = call(5);
    PendingCall<?, ?> other = call(5 + 32);
    table.add(first, true);
    table.add(other, true);
    assertFalse(table.remove(call(5)), "another call with the same xid is not it");
    assertTrue(table.remove(other));
    assertFalse(table.remove(other));
    assertTrue(table.remove(first));
    assertEquals(0, table.size());
  }

  @Test
  void allListsEveryCallWhereverItIsKept() {
    Set<PendingCall<?, ?>> added = new HashSet<>();
    for (int xid = 0; xid < 40; xid++) { // 40 calls in 16 slots: most of them aside
      PendingCall<?, ?> c = call(xid);
      added.add(c);
      table.add(c, true);
    }
    List<PendingCall<?, ?>> all = table.all();
    assertEquals(40, all.size());
    assertEquals(added, new HashSet<>(all));
    for (int xid = 39; xid >= 0; xid--) {
      assertEquals(xid, table.take(xid).xid);
    }
    assertTrue(table.all().isEmpty());
  }
}
