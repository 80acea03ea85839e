package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The public mapping of a C peer's string bytes to Onyx's String and back (before, only the
 * package-private SurrogateEscape had it: a user holding "caf\udce9" from an rpcgen peer could
 * not get its bytes back outside a codec). It is the codec's own: what XdrReader reads and
 * XdrWriter writes.
 */
class XdrStringsTest {
  @Test
  void aLatin1NameKeepsItsBytes() {
    byte[] cafe = {'c', 'a', 'f', (byte) 0xE9};
    assertEquals("caf\udce9", XdrStrings.fromBytes(cafe));
    assertArrayEquals(cafe, XdrStrings.toBytes("caf\udce9"));
    assertArrayEquals("café".getBytes(StandardCharsets.UTF_8), XdrStrings.toBytes("café"));
    assertArrayEquals("?".getBytes(StandardCharsets.US_ASCII), XdrStrings.toBytes("\ud800"));
  }

  @Test
  void anyBytesGoBothWaysAsTheCodecMapsThem() {
    Random random = new Random(43);
    for (int round = 0; round < 2000; round++) {
      byte[] bytes = new byte[random.nextInt(24)];
      random.nextBytes(bytes);
      String s = XdrStrings.fromBytes(bytes);
      assertArrayEquals(bytes, XdrStrings.toBytes(s));
      ByteBuf wire = Unpooled.buffer();
      new XdrWriter(wire).writeString(s, 64);
      assertEquals(bytes.length, wire.getInt(0), "the codec writes the same bytes");
      assertArrayEquals(bytes, java.util.Arrays.copyOfRange(wire.array(), 4, 4 + bytes.length));
      assertEquals(s, new XdrReader(wire).readString(64), "and reads the same String");
    }
  }
}
