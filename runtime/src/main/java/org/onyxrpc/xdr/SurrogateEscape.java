package org.onyxrpc.xdr;

import io.netty.buffer.ByteBuf;

/**
 * UTF-8 that loses no byte, as Python's PEP 383 "surrogateescape": an XDR string is bytes, and a
 * byte that is not part of well-formed UTF-8 (RFC 3629) decodes to the lone surrogate U+DC00 plus
 * that byte (0x80..0xFF to U+DC80..U+DCFF), which encodes back to that one byte. Any byte string
 * so decodes and encodes to itself, the same length; well-formed UTF-8 decodes as it always did.
 *
 * <p>These are the slow paths: {@link XdrReader} and {@link XdrWriter} use Netty's UTF-8 and come
 * here only when its result shows a byte it could not decode or a surrogate it could not encode.
 */
final class SurrogateEscape {
  /** What a lone surrogate that stands for no byte encodes to, as Netty writes it. */
  private static final byte UNKNOWN = '?';

  private SurrogateEscape() {}

  /**
   * Decodes {@code length} bytes from {@code index}, each byte outside well-formed UTF-8 as
   * U+DC00 plus the byte; the result has at most {@code length} chars.
   */
  static String decode(ByteBuf buf, int index, int length) {
    char[] out = new char[length];
    int n = 0;
    int end = index + length;
    int i = index;
    while (i < end) {
      int b = buf.getByte(i) & 0xFF;
      if (b < 0x80) {
        out[n++] = (char) b;
        i++;
        continue;
      }
      int size = sequenceLength(buf, i, end, b);
      if (size == 0) {
        out[n++] = (char) (0xDC00 | b);
        i++;
      } else if (size == 2) {
        out[n++] = (char) ((b & 0x1F) << 6 | buf.getByte(i + 1) & 0x3F);
        i += 2;
      } else if (size == 3) {
        out[n++] = (char) ((b & 0x0F) << 12 | (buf.getByte(i + 1) & 0x3F) << 6
            | buf.getByte(i + 2) & 0x3F);
        i += 3;
      } else {
        int cp = (b & 0x07) << 18 | (buf.getByte(i + 1) & 0x3F) << 12
            | (buf.getByte(i + 2) & 0x3F) << 6 | buf.getByte(i + 3) & 0x3F;
        out[n++] = Character.highSurrogate(cp);
        out[n++] = Character.lowSurrogate(cp);
        i += 4;
      }
    }
    return new String(out, 0, n);
  }

  /**
   * The length of the well-formed UTF-8 sequence (RFC 3629 §4; Unicode Table 3-7) that lead byte
   * {@code b} at {@code i} starts, or 0 if it starts none: a stray continuation byte, C0, C1, F5..FF,
   * or a sequence cut short, overlong, encoding a surrogate or beyond U+10FFFF.
   */
  private static int sequenceLength(ByteBuf buf, int i, int end, int b) {
    int size;
    int low = 0x80;
    int high = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      size = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      size = 3;
      if (b == 0xE0) {
        low = 0xA0; // below: overlong
      } else if (b == 0xED) {
        high = 0x9F; // above: U+D800..U+DFFF, which would read as escapes
      }
    } else if (b >= 0xF0 && b <= 0xF4) {
      size = 4;
      if (b == 0xF0) {
        low = 0x90; // below: overlong
      } else if (b == 0xF4) {
        high = 0x8F; // above: beyond U+10FFFF
      }
    } else {
      return 0;
    }
    if (end - i < size) {
      return 0;
    }
    int second = buf.getByte(i + 1) & 0xFF;
    if (second < low || second > high) {
      return 0;
    }
    for (int k = 2; k < size; k++) {
      if ((buf.getByte(i + k) & 0xC0) != 0x80) {
        return 0;
      }
    }
    return size;
  }

  /** Whether {@code s} holds a surrogate that is not half of a pair. */
  static boolean hasLoneSurrogate(CharSequence s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The bytes {@link #encode} writes for {@code s}: UTF-8, one byte for each lone surrogate.
   */
  static int encodedLength(CharSequence s) {
    int bytes = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * Writes {@code s} as UTF-8: U+DC80..U+DCFF alone as the byte they stand for, any other lone
   * surrogate as {@code '?'}.
   */
  static void encode(CharSequence s, ByteBuf buf) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf.writeByte(c);
      } else if (c < 0x800) {
        buf.writeByte(0xC0 | c >> 6);
        buf.writeByte(0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf.writeByte(0xF0 | cp >> 18);
        buf.writeByte(0x80 | cp >> 12 & 0x3F);
        buf.writeByte(0x80 | cp >> 6 & 0x3F);
        buf.writeByte(0x80 | cp & 0x3F);
      } else if (c >= 0xDC80 && c <= 0xDCFF) {
        buf.writeByte(c & 0xFF);
      } else if (Character.isSurrogate(c)) {
        buf.writeByte(UNKNOWN);
      } else {
        buf.writeByte(0xE0 | c >> 12);
        buf.writeByte(0x80 | c >> 6 & 0x3F);
        buf.writeByte(0x80 | c & 0x3F);
      }
    }
  }
}
