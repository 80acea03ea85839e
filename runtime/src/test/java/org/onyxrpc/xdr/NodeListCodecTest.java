package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.onyxrpc.xdr.VectorsX.Node;

/**
 * The recursive {@code node *} list of {@code vectors.x}, coded with a loop: a list far deeper
 * than any stack round-trips, the way generated code must handle recursive optional types.
 */
class NodeListCodecTest {
  @Test
  void deepListRoundTripsWithoutRecursion() {
    int[] values = new int[200_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 3;
    }
    Node back = Bufs.roundTrip(VectorsX.NODE_LIST, Node.of(values));
    // Walk rather than equals(): the record's equals recurses.
    int i = 0;
    for (Node n = back; n != null; n = n.next()) {
      assertEquals(values[i++], n.value());
    }
    assertEquals(values.length, i);
  }

  @Test
  void emptyListIsOneZeroFlag() {
    assertEquals("00000000", Bufs.encodeHex(VectorsX.NODE_LIST, null));
    assertNull(Bufs.decodeAll(VectorsX.NODE_LIST, "00000000"));
  }

  @Test
  void listWithoutItsFinalFlagIsTruncated() {
    assertThrows(XdrException.class,
        () -> Bufs.decodeAll(VectorsX.NODE_LIST, "000000010000000a"));
  }
}
