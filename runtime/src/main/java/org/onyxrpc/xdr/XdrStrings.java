package org.onyxrpc.xdr;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/**
 * The bytes an XDR {@code string} carries and the Java {@code String} Onyx gives for them, both
 * ways, as {@link XdrReader#readString} and {@link XdrWriter#writeString} map them: UTF-8, and a
 * byte that is not part of well-formed UTF-8 (a Latin-1 or other file name from a C peer) as the
 * lone surrogate U+DC00 plus the byte (0xE9 as U+DCE9), as Python's {@code surrogateescape} (PEP
 * 383). For the bytes of a name outside the wire: to open the file a C peer named (Java's file
 * APIs cannot spell such a name), to compare it with bytes from elsewhere, or to make the
 * {@code String} that will be sent as given bytes.
 *
 * <p>{@code fromBytes(toBytes(s))} is {@code s}, and {@code toBytes(fromBytes(b))} is {@code b},
 * for any bytes {@code b} and any {@code s} without other lone surrogates (a lone surrogate
 * outside U+DC80..U+DCFF stands for no byte and is written {@code '?'}, as Netty writes it).
 */
public final class XdrStrings {
  private XdrStrings() {}

  /**
   * The bytes {@link XdrWriter#writeString} sends for {@code s} (without its length and padding).
   *
   * @param s the string; not null
   * @return its bytes: UTF-8, each of U+DC80..U+DCFF alone as the byte it stands for
   */
  public static byte[] toBytes(String s) {
    Objects.requireNonNull(s, "s");
    byte[] bytes = new byte[SurrogateEscape.encodedLength(s)];
    ByteBuf out = Unpooled.wrappedBuffer(bytes);
    out.writerIndex(0);
    SurrogateEscape.encode(s, out);
    return bytes;
  }

  /**
   * The {@code String} {@link XdrReader#readString} gives for {@code bytes}.
   *
   * @param bytes an XDR string's bytes; not null
   * @return well-formed UTF-8 as text, each other byte as U+DC00 plus the byte
   */
  public static String fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return SurrogateEscape.decode(Unpooled.wrappedBuffer(bytes), 0, bytes.length);
  }
}
