package org.onyxrpc.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * RFC 5531 Appendix A AUTH_SYS credentials: the caller's machine name and Unix identity. They are
 * asserted by the client, not proven; treat them as a claim.
 *
 * @param stamp an arbitrary id the caller may choose
 * @param machineName the caller's host name, at most 255 bytes of UTF-8
 * @param uid the caller's effective user id
 * @param gid the caller's effective group id
 * @param gids supplementary group ids, at most 16; not copied, do not modify
 */
public record AuthSys(int stamp, String machineName, int uid, int gid, int[] gids)
    implements Credentials {
  /** RFC 5531 Appendix A: machinename&lt;255&gt;. */
  public static final int MAX_MACHINE_NAME = 255;
  /** RFC 5531 Appendix A: gids&lt;16&gt;. */
  public static final int MAX_GIDS = 16;

  /**
   * Validates the bounds RFC 5531 sets.
   *
   * @param stamp an arbitrary id
   * @param machineName at most {@value #MAX_MACHINE_NAME} bytes of UTF-8
   * @param uid the effective user id
   * @param gid the effective group id
   * @param gids at most {@value #MAX_GIDS}; not copied
   * @throws IllegalArgumentException if the machine name or the gids are over their bounds
   */
  public AuthSys {
    int machineBytes = ByteBufUtil.utf8Bytes(machineName);
    if (machineBytes > MAX_MACHINE_NAME) {
      throw new IllegalArgumentException(
          "AUTH_SYS machine name is at most 255 bytes of UTF-8, got " + machineBytes);
    }
    if (gids.length > MAX_GIDS) {
      throw new IllegalArgumentException("AUTH_SYS allows at most 16 gids, got " + gids.length);
    }
  }

  @Override
  public OpaqueAuth toOpaqueAuth() {
    ByteBuf buf = Unpooled.buffer(32 + machineName.length() * 3 + gids.length * 4);
    XdrWriter out = new XdrWriter(buf);
    out.writeUnsignedInt(stamp);
    out.writeString(machineName, MAX_MACHINE_NAME);
    out.writeUnsignedInt(uid);
    out.writeUnsignedInt(gid);
    out.writeArrayLength(gids.length, MAX_GIDS);
    for (int g : gids) {
      out.writeUnsignedInt(g);
    }
    byte[] body = new byte[buf.readableBytes()];
    buf.readBytes(body);
    return new OpaqueAuth(OpaqueAuth.AUTH_SYS, body);
  }

  /**
   * Parses an AUTH_SYS credential body; malformed bodies throw {@link org.onyxrpc.xdr.XdrException}.
   * The body is a peer's, read as a server reads its calls ({@link XdrReader#withoutStackTraces}):
   * the exception has no stack trace, and its message names the item that is wrong and its
   * bound. A server's authenticator refuses each malformed credential on the I/O thread, as fast
   * as a peer sends them, and the stack trace cost several times the rest of the refusal.
   *
   * @param body the credential's opaque body
   * @return the credentials
   * @throws org.onyxrpc.xdr.XdrException if the body is malformed or over a bound
   */
  public static AuthSys fromBody(byte[] body) {
    XdrReader in = XdrReader.withoutStackTraces(Unpooled.wrappedBuffer(body), XdrLimits.DEFAULT);
    int stamp = in.readUnsignedInt();
    String machine = machineName(in.readOpaque(MAX_MACHINE_NAME)); // a string: padded as opaque
    int uid = in.readUnsignedInt();
    int gid = in.readUnsignedInt();
    int[] gids = new int[in.readArrayLength(MAX_GIDS, 4)];
    for (int i = 0; i < gids.length; i++) {
      gids[i] = in.readUnsignedInt();
    }
    return new AuthSys(stamp, machine, uid, gid, gids);
  }

  /**
   * The machine name as text. RFC 5531 bounds it in bytes, and a C client sends its host name's
   * bytes as they are, UTF-8 or not (libtirpc takes any): each byte that is not UTF-8 is read as
   * '?', one byte for one, so every name within the bound on the wire is within the record's too.
   * Read as U+FFFD (three bytes of UTF-8), 86 such bytes made a well-formed credential
   * AUTH_BADCRED.
   */
  private static String machineName(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .replaceWith("?")
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("a replacing decoder threw", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthSys other
        && stamp == other.stamp
        && machineName.equals(other.machineName)
        && uid == other.uid
        && gid == other.gid
        && Arrays.equals(gids, other.gids);
  }

  @Override
  public int hashCode() {
    return ((machineName.hashCode() * 31 + uid) * 31 + gid) * 31 + Arrays.hashCode(gids);
  }

  /**
   * For a log line: {@code AUTH_SYS[host uid=1000 gid=1000 gids=[10, 20]]}, ids unsigned. The
   * machine name is the caller's choice: its control and line-separator characters are escaped
   * ({@code \x0a}), so that a name with a line break cannot forge a log line of its own.
   *
   * @return the credentials, one line
   */
  @Override
  public String toString() {
    return "AUTH_SYS[" + oneLine(machineName) + " uid=" + Integer.toUnsignedString(uid) + " gid="
        + Integer.toUnsignedString(gid) + " gids=" + Arrays.toString(gids) + "]";
  }

  /** {@code text} with its control and line-separator characters escaped, as RateLimitedLog.escaped does. */
  private static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int type = Character.getType(c);
      if (type == Character.CONTROL || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR) {
        out.append(String.format(java.util.Locale.ROOT, c <= 0xff ? "\\x%02x" : "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
