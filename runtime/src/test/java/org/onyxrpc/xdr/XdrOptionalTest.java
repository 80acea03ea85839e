package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 4506 §4.19 optional data: a 0/1 flag, then the value when present. */
class XdrOptionalTest {
  private static final XdrCodec<Integer> MAYBE_INT = XdrCodecs.optional(XdrCodecs.INT);

  @Test
  void absentIsAZeroFlag() {
    assertEquals("00000000", Bufs.encodeHex(MAYBE_INT, null));
    assertNull(Bufs.decodeAll(MAYBE_INT, "00000000"));
  }

  @Test
  void presentIsAOneFlagThenTheValue() {
    assertEquals("000000010000002a", Bufs.encodeHex(MAYBE_INT, 42));
    assertEquals(42, Bufs.decodeAll(MAYBE_INT, "000000010000002a"));
  }

  @Test
  void nestedOptionalsKeepTheirFlags() {
    XdrCodec<String> maybeString = XdrCodecs.optional(XdrCodecs.string(8));
    assertEquals("000000010000000268690000", Bufs.encodeHex(maybeString, "hi"));
    assertEquals("hi", Bufs.roundTrip(maybeString, "hi"));
    assertNull(Bufs.roundTrip(maybeString, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"000000020000002a", "ffffffff0000002a", "000001000000002a"})
  void flagOtherThanZeroOrOneIsRejected(String hex) {
    XdrException e = assertThrows(XdrException.class, () -> Bufs.decodeAll(MAYBE_INT, hex));
    assertEquals("optional-data flag must be 0 or 1, got "
        + Integer.parseUnsignedInt(hex.substring(0, 8), 16), e.getMessage());
  }

  @Test
  void writerAndReaderMethodsMatchTheCodec() {
    assertEquals("000000010000002a00000000", Bufs.writeHex(out -> {
      out.writeOptional(42, XdrCodecs.INT);
      out.writeOptional(null, XdrCodecs.INT);
    }));
    Bufs.read("000000010000002a00000000", in -> {
      assertEquals(42, in.readOptional(XdrCodecs.INT));
      assertNull(in.readOptional(XdrCodecs.INT));
      return null;
    });
  }
}
