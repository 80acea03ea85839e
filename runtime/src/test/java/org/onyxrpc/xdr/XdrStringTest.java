package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 4506 §4.11 strings as UTF-8: lengths and bounds count bytes, not chars. */
class XdrStringTest {
  private static final String E_ACUTE = "\u00e9"; // 2 bytes
  private static final String EURO = "\u20ac"; // 3 bytes
  private static final String GRINNING = "\ud83d\ude00"; // 4 bytes, 2 chars

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "abcd", "h\u00e9llo w\u00f6rld", "\u20ac", "\ud83d\ude00x", "\u65e5\u672c"})
  void roundTripsAsUtf8WithByteLength(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    String hex = Bufs.encodeHex(XdrCodecs.STRING, value);
    assertEquals(String.format("%08x", utf8.length), hex.substring(0, 8));
    assertEquals(8 + 8 * ((utf8.length + 3) / 4), hex.length());
    assertEquals(value, Bufs.decodeAll(XdrCodecs.STRING, hex));
  }

  @Test
  void multiByteCharactersCountAsTheirBytes() {
    assertEquals("00000004f09f9880", Bufs.encodeHex(XdrCodecs.STRING, GRINNING));
    assertEquals("00000003e282ac00", Bufs.encodeHex(XdrCodecs.STRING, EURO));
  }

  @Test
  void writerBoundCountsBytes() {
    XdrCodec<String> name = XdrCodecs.string(16);
    String sixteenBytes = E_ACUTE.repeat(8);
    assertEquals(sixteenBytes, Bufs.roundTrip(name, sixteenBytes));

    String eighteenBytesNineChars = E_ACUTE.repeat(9);
    ByteBuf buf = Unpooled.buffer();
    try {
      XdrException e = assertThrows(XdrException.class,
          () -> name.encode(new XdrWriter(buf), eighteenBytesNineChars));
      assertEquals("string of 18 bytes exceeds its maximum of 16 bytes", e.getMessage());
      assertEquals(0, buf.writerIndex(), "nothing written for a rejected string");
    } finally {
      Bufs.release(buf);
    }
  }

  @Test
  void readerBoundCountsBytes() {
    // "éé" is 2 chars but 4 bytes: over a maximum of 3.
    assertThrows(XdrException.class,
        () -> Bufs.decodeAll(XdrCodecs.string(3), "00000004c3a9c3a9"));
    assertEquals(E_ACUTE.repeat(2), Bufs.decodeAll(XdrCodecs.string(4), "00000004c3a9c3a9"));
  }

  @Test
  void nonZeroPaddingIsRejected() {
    assertThrows(XdrException.class, () -> Bufs.decodeAll(XdrCodecs.STRING, "0000000161006200"));
  }

  @Test
  void stringReadLeavesTheReaderAtTheNextItem() {
    Bufs.read("0000000568656c6c6f00000000000007", in -> {
      assertEquals("hello", in.readString(5));
      assertEquals(7, in.readInt());
      return null;
    });
  }

  @Test
  void bytesThatAreNotUtf8ComeBackAsSent() {
    // Latin-1 "caf\xe9" at its bound of 4 bytes: read as an escape, written back as the byte.
    XdrCodec<String> name = XdrCodecs.string(4);
    String cafe = Bufs.decodeAll(name, "00000004636166e9");
    assertEquals("caf\udce9", cafe);
    assertEquals("00000004636166e9", Bufs.encodeHex(name, cafe));
    assertEquals("00000003ff80c300", Bufs.encodeHex(XdrCodecs.STRING,
        Bufs.decodeAll(XdrCodecs.STRING, "00000003ff80c300")));
  }

  @Test
  void aRealReplacementCharacterAmongBytesThatAreNotUtf8IsReadAsText() {
    // EF BF BD is U+FFFD itself: the slow path, taken for it, reads it as Netty does.
    assertEquals("\ufffd\u00e9", Bufs.decodeAll(XdrCodecs.STRING, "00000005efbfbdc3a9000000"));
    assertEquals("\ufffd\udce9\u00e9",
        Bufs.decodeAll(XdrCodecs.STRING, "00000006efbfbde9c3a90000"));
    assertEquals("00000006efbfbde9c3a90000", Bufs.encodeHex(XdrCodecs.STRING, "\ufffd\udce9\u00e9"));
  }

  @Test
  void questionMarksAndOtherLoneSurrogatesAreWrittenAsBefore() {
    assertEquals("000000033f613f00", Bufs.encodeHex(XdrCodecs.STRING, "?a?"));
    assertEquals("00000003613f6200", Bufs.encodeHex(XdrCodecs.STRING, "a\ud800b"));
    assertEquals("00000003613f6200", Bufs.encodeHex(XdrCodecs.STRING, "a\udc7fb"));
    // Netty alone writes a lone high surrogate before a non-ASCII char as '?' and a stray byte.
    assertEquals("00000004613fc3a9", Bufs.encodeHex(XdrCodecs.STRING, "a\ud800\u00e9"));
  }

  @Test
  void aStringThatGrowsOnTheSlowPathPastItsBoundWritesNothing() {
    // Netty counts "\ud800\u00e9" as 2 bytes; as '?' and UTF-8 it is 3.
    XdrCodec<String> name = XdrCodecs.string(2);
    ByteBuf buf = Unpooled.buffer();
    try {
      buf.writeInt(7);
      XdrException e = assertThrows(XdrException.class,
          () -> name.encode(new XdrWriter(buf), "\ud800\u00e9"));
      assertEquals("string of 3 bytes exceeds its maximum of 2 bytes", e.getMessage());
      assertEquals(4, buf.writerIndex(), "nothing written for a rejected string");
    } finally {
      Bufs.release(buf);
    }
  }
}
