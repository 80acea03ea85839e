package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 4506 §4.9–4.10: fixed and variable opaque data, zero-padded to 4 bytes. */
class XdrOpaqueTest {
  private static byte[] bytes(int length) {
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) (0xa0 + i);
    }
    return data;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 8, 13, 400})
  void variableOpaqueRoundTripsWithLengthAndPadding(int length) {
    byte[] data = bytes(length);
    String hex = Bufs.encodeHex(XdrCodecs.opaque(400), data);
    assertEquals(8 * ((length + 3) / 4) + 8, hex.length());
    assertEquals(String.format("%08x", length), hex.substring(0, 8));
    assertArrayEquals(data, Bufs.decodeAll(XdrCodecs.opaque(400), hex));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 4, 5, 8})
  void fixedOpaqueRoundTripsWithoutLength(int length) {
    byte[] data = bytes(length);
    String hex = Bufs.encodeHex(XdrCodecs.fixedOpaque(length), data);
    assertEquals(8 * ((length + 3) / 4), hex.length());
    assertArrayEquals(data, Bufs.decodeAll(XdrCodecs.fixedOpaque(length), hex));
  }

  @ParameterizedTest
  @ValueSource(strings = {"00000001aa010000", "00000001aa000001", "00000003aabbcc80"})
  void nonZeroPaddingIsRejected(String hex) {
    XdrException e = assertThrows(XdrException.class,
        () -> Bufs.decodeAll(XdrCodecs.OPAQUE, hex));
    assertEquals("padding must be zero", e.getMessage());
  }

  @Test
  void nonZeroPaddingOfFixedOpaqueIsRejected() {
    assertThrows(XdrException.class, () -> Bufs.decodeAll(XdrCodecs.fixedOpaque(5), "0102030405000100"));
    assertThrows(XdrException.class, () -> Bufs.decodeAll(XdrCodecs.fixedOpaque(1), "01ff0000"));
  }

  @Test
  void writerRejectsOpaqueOverItsMaximumAndWritesNothing() {
    ByteBuf buf = Unpooled.buffer();
    try {
      XdrException e = assertThrows(XdrException.class,
          () -> new XdrWriter(buf).writeOpaque(new byte[5], 4));
      assertEquals("opaque of 5 bytes exceeds its maximum of 4 bytes", e.getMessage());
      assertEquals(0, buf.writerIndex());
    } finally {
      Bufs.release(buf);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4, 6})
  void writerRejectsFixedOpaqueOfTheWrongSizeAndWritesNothing(int actual) {
    ByteBuf buf = Unpooled.buffer();
    try {
      XdrException e = assertThrows(XdrException.class,
          () -> new XdrWriter(buf).writeFixedOpaque(new byte[actual], 5));
      assertEquals("fixed opaque needs 5 bytes, got " + actual, e.getMessage());
      assertEquals(0, buf.writerIndex());
    } finally {
      Bufs.release(buf);
    }
  }

  @Test
  void writingFromABufferTakesItsReadableBytesAndLeavesItAlone() {
    ByteBuf data = Unpooled.wrappedBuffer(new byte[] {9, 1, 2, 3});
    data.skipBytes(1);
    try {
      assertEquals("0000000301020300", Bufs.writeHex(out -> out.writeOpaque(data, 16)));
      assertEquals(1, data.readerIndex(), "reader index of the source must not move");
      assertEquals(1, data.refCnt(), "the source is not released");
      assertThrows(XdrException.class, () -> Bufs.writeHex(out -> out.writeOpaque(data, 2)));
    } finally {
      Bufs.release(data);
    }
  }
}
