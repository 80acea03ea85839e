package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The built-in codecs of {@link XdrCodecs} and the reader's and writer's codec hooks. */
class XdrCodecsTest {
  @Test
  void voidTakesNoBytes() {
    assertEquals("", Bufs.encodeHex(XdrCodecs.VOID, null));
    assertNull(Bufs.decodeAll(XdrCodecs.VOID, ""));
  }

  @Test
  void eachBuiltInCodecWritesItsRfcForm() {
    assertEquals("fffffffe", Bufs.encodeHex(XdrCodecs.INT, -2));
    assertEquals("fffffffe", Bufs.encodeHex(XdrCodecs.UNSIGNED_INT, -2));
    assertEquals("fffffffffffffffe", Bufs.encodeHex(XdrCodecs.HYPER, -2L));
    assertEquals("fffffffffffffffe", Bufs.encodeHex(XdrCodecs.UNSIGNED_HYPER, -2L));
    assertEquals("00000001", Bufs.encodeHex(XdrCodecs.BOOL, true));
    assertEquals("3fc00000", Bufs.encodeHex(XdrCodecs.FLOAT, 1.5f));
    assertEquals("3ff8000000000000", Bufs.encodeHex(XdrCodecs.DOUBLE, 1.5));
    assertEquals("0000000161000000", Bufs.encodeHex(XdrCodecs.STRING, "a"));
    assertEquals("00000001ff000000", Bufs.encodeHex(XdrCodecs.OPAQUE, new byte[] {-1}));
    assertEquals("ff000000", Bufs.encodeHex(XdrCodecs.fixedOpaque(1), new byte[] {-1}));
  }

  @Test
  void unboundedCodecsRoundTripLargeValues() {
    byte[] big = new byte[100_003];
    big[100_002] = 5;
    assertArrayEquals(big, Bufs.roundTrip(XdrCodecs.OPAQUE, big));
    String text = "x".repeat(70_001);
    assertEquals(text, Bufs.roundTrip(XdrCodecs.STRING, text));
  }

  @Test
  void ofJoinsAnEncoderAndADecoder() {
    XdrCodec<String> hexInt = XdrCodecs.of(
        (out, v) -> out.writeInt(Integer.parseInt(v, 16)),
        in -> Integer.toHexString(in.readInt()));
    assertEquals("000000ff", Bufs.encodeHex(hexInt, "ff"));
    assertEquals("ff", Bufs.decodeAll(hexInt, "000000ff"));
  }

  @Test
  void writerWriteAndReaderReadDelegateToTheCodec() {
    assertEquals("0000000700000001", Bufs.writeHex(out -> {
      out.write(7, XdrCodecs.INT);
      out.write(true, XdrCodecs.BOOL);
    }));
    Bufs.read("0000000700000001", in -> {
      assertEquals(7, in.read(XdrCodecs.INT));
      assertEquals(true, in.read(XdrCodecs.BOOL));
      return null;
    });
  }
}
