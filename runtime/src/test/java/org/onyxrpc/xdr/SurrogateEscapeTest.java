package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * PEP 383 "surrogateescape" UTF-8: well-formed UTF-8 decodes as the JDK decodes it, every other
 * byte as U+DC00 plus the byte, and any byte string encodes back to itself.
 */
class SurrogateEscapeTest {
  private static String decode(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return SurrogateEscape.decode(Unpooled.wrappedBuffer(b), 0, b.length);
  }

  private static byte[] encode(String s) {
    ByteBuf buf = Unpooled.buffer();
    SurrogateEscape.encode(s, buf);
    assertEquals(buf.readableBytes(), SurrogateEscape.encodedLength(s), "length of " + s);
    return ByteBufUtil.getBytes(buf);
  }

  private static void assertRoundTrips(byte[] bytes) {
    String s = SurrogateEscape.decode(Unpooled.wrappedBuffer(bytes), 0, bytes.length);
    assertTrue(s.length() <= bytes.length, "at most a char a byte");
    assertArrayEquals(bytes, encode(s), ByteBufUtil.hexDump(bytes));
  }

  @Test
  void everyByteAloneDecodesAsItselfOrItsEscapeAndBack() {
    for (int b = 0; b < 256; b++) {
      String expected = String.valueOf((char) (b < 0x80 ? b : 0xDC00 + b));
      assertEquals(expected, decode(b), "byte " + b);
      assertArrayEquals(new byte[] {(byte) b}, encode(expected), "byte " + b);
    }
  }

  @Test
  void everyPairAndSomeTriplesOfBytesRoundTrip() {
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        assertRoundTrips(new byte[] {(byte) a, (byte) b});
        assertRoundTrips(new byte[] {(byte) a, (byte) b, (byte) 0x80});
        assertRoundTrips(new byte[] {(byte) 0xF0, (byte) a, (byte) b, (byte) 0x80});
      }
    }
    Random random = new Random(383);
    for (int i = 0; i < 10_000; i++) {
      byte[] bytes = new byte[random.nextInt(12)];
      random.nextBytes(bytes);
      assertRoundTrips(bytes);
    }
  }

  @Test
  void wellFormedUtf8DecodesAsTheJdkDecodesIt() {
    String text = "caf\u00e9 \u20ac \u65e5\u672c \ud83d\ude00 \udbff\udfff \ud800\udc00 \uffff";
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    assertEquals(text, SurrogateEscape.decode(Unpooled.wrappedBuffer(utf8), 0, utf8.length));
    assertArrayEquals(utf8, encode(text));
  }

  @Test
  void aRealReplacementCharacterIsText() {
    assertEquals("a\ufffdb", decode('a', 0xEF, 0xBF, 0xBD, 'b'));
    assertArrayEquals(new byte[] {'a', (byte) 0xEF, (byte) 0xBF, (byte) 0xBD}, encode("a\ufffd"));
  }

  @Test
  void latin1IsEscapedByteForByte() {
    assertEquals("caf\udce9", decode('c', 'a', 'f', 0xE9));
    assertEquals("caf\udce8", decode('c', 'a', 'f', 0xE8));
  }

  @Test
  void truncatedSequencesEscapeEachByteAndKeepWhatFollows() {
    assertEquals("\udce2\udc82", decode(0xE2, 0x82));
    assertEquals("\udce2\udc82x", decode(0xE2, 0x82, 'x'));
    assertEquals("\udcf0\udc9f\udc98", decode(0xF0, 0x9F, 0x98));
    assertEquals("\udcc3", decode(0xC3));
    assertEquals("\udcc3\u00e9", decode(0xC3, 0xC3, 0xA9));
  }

  @Test
  void overlongEncodingsAreEscaped() {
    assertEquals("\udcc0\udcaf", decode(0xC0, 0xAF)); // '/' in 2 bytes
    assertEquals("\udcc1\udcbf", decode(0xC1, 0xBF));
    assertEquals("\udce0\udc80\udcaf", decode(0xE0, 0x80, 0xAF));
    assertEquals("\udce0\udc9f\udcbf", decode(0xE0, 0x9F, 0xBF)); // U+07FF in 3 bytes
    assertEquals("\udcf0\udc8f\udcbf\udcbf", decode(0xF0, 0x8F, 0xBF, 0xBF)); // U+FFFF in 4
  }

  @Test
  void encodedSurrogatesAreEscapedSoTheyCannotPassForEscapes() {
    assertEquals("\udced\udca0\udc80", decode(0xED, 0xA0, 0x80)); // U+D800
    assertEquals("\udced\udcb2\udc80", decode(0xED, 0xB2, 0x80)); // U+DC80
    assertEquals("\ud7ff", decode(0xED, 0x9F, 0xBF));
  }

  @Test
  void fourByteSequencesDecodeToPairsAndBeyondU10ffffIsEscaped() {
    assertEquals("\ud83d\ude00", decode(0xF0, 0x9F, 0x98, 0x80));
    assertEquals("\udbff\udfff", decode(0xF4, 0x8F, 0xBF, 0xBF));
    assertEquals("\udcf4\udc90\udc80\udc80", decode(0xF4, 0x90, 0x80, 0x80)); // U+110000
    assertEquals("\udcf5\udc80\udc80\udc80", decode(0xF5, 0x80, 0x80, 0x80));
  }

  @Test
  void loneSurrogatesThatStandForNoByteEncodeAsQuestionMarks() {
    assertArrayEquals("a?b".getBytes(StandardCharsets.US_ASCII), encode("a\udc7fb"));
    assertArrayEquals("a?b".getBytes(StandardCharsets.US_ASCII), encode("a\ud800b"));
    assertArrayEquals("?".getBytes(StandardCharsets.US_ASCII), encode("\ud800"));
    assertArrayEquals("a?\u00e9".getBytes(StandardCharsets.UTF_8), encode("a\ud800\u00e9"));
  }

  @Test
  void findsLoneSurrogatesOnly() {
    assertFalse(SurrogateEscape.hasLoneSurrogate("caf\u00e9 \ud83d\ude00 ?"));
    assertTrue(SurrogateEscape.hasLoneSurrogate("caf\udce9"));
    assertTrue(SurrogateEscape.hasLoneSurrogate("\ud83d"));
    assertTrue(SurrogateEscape.hasLoneSurrogate("\ude00\ud83d"));
  }
}
