package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** int, unsigned int, hyper, unsigned hyper and enum: big-endian, unsigned kept as bits. */
class XdrIntegerTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, -1, 255, 256, 0x01020304, Integer.MAX_VALUE, Integer.MIN_VALUE})
  void intRoundTrips(int value) {
    assertEquals(value, Bufs.roundTrip(XdrCodecs.INT, value));
    assertEquals(value, Bufs.roundTrip(XdrCodecs.UNSIGNED_INT, value));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, -1, 0x0102030405060708L, Long.MAX_VALUE, Long.MIN_VALUE})
  void hyperRoundTrips(long value) {
    assertEquals(value, Bufs.roundTrip(XdrCodecs.HYPER, value));
    assertEquals(value, Bufs.roundTrip(XdrCodecs.UNSIGNED_HYPER, value));
  }

  @Test
  void intIsBigEndian() {
    assertEquals("01020304", Bufs.encodeHex(XdrCodecs.INT, 0x01020304));
    assertEquals("0102030405060708", Bufs.encodeHex(XdrCodecs.HYPER, 0x0102030405060708L));
  }

  @Test
  void unsignedIntKeepsAllThirtyTwoBits() {
    int bits = Bufs.decodeAll(XdrCodecs.UNSIGNED_INT, "ffffffff");
    assertEquals(4294967295L, Integer.toUnsignedLong(bits));
    assertEquals("80000000", Bufs.encodeHex(XdrCodecs.UNSIGNED_INT, (int) 2147483648L));
    assertEquals(2147483648L,
        Integer.toUnsignedLong(Bufs.decodeAll(XdrCodecs.UNSIGNED_INT, "80000000")));
  }

  @Test
  void unsignedHyperKeepsAllSixtyFourBits() {
    long bits = Bufs.decodeAll(XdrCodecs.UNSIGNED_HYPER, "8000000000000001");
    assertEquals("9223372036854775809", Long.toUnsignedString(bits));
    long max = Long.parseUnsignedLong("18446744073709551615");
    assertEquals("ffffffffffffffff", Bufs.encodeHex(XdrCodecs.UNSIGNED_HYPER, max));
  }

  @Test
  void enumValuesTravelAsSignedInts() {
    assertEquals("fffffffb", Bufs.writeHex(out -> out.writeEnum(-5)));
    assertEquals(-5, (int) Bufs.read("fffffffb", XdrReader::readEnum));
    // Mapping and rejecting undeclared values is the caller's job: the reader returns any int.
    assertEquals(12345, (int) Bufs.read("00003039", XdrReader::readEnum));
  }

  @Test
  void readsAdvanceThroughTheBuffer() {
    Bufs.read("00000001fffffffffffffffe00000003", in -> {
      assertEquals(16, in.remaining());
      assertEquals(1, in.readInt());
      assertEquals(-2L, in.readHyper());
      assertEquals(3, in.readUnsignedInt());
      assertEquals(0, in.remaining());
      return null;
    });
  }
}
