package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
    // An unpooled heap buffer, which Netty does not track: in a pooled one, paranoid leak
    // detection (the runtime's tests) records a stack trace at each of the 400,000 writes, which
    // took 17 s of CPU. This buffer is released and checked released all the same.
    ByteBuf buf = Unpooled.buffer();
    Node back;
    try {
      VectorsX.NODE_LIST.encode(new XdrWriter(buf), Node.of(values));
      assertEquals(8 * values.length + 4, buf.readableBytes());
      XdrReader in = new XdrReader(buf);
      back = VectorsX.NODE_LIST.decode(in);
      assertEquals(0, in.remaining(), "bytes left after decoding");
    } finally {
      Bufs.release(buf);
    }
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
