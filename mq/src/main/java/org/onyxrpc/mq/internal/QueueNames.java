package org.onyxrpc.mq.internal;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.onyxrpc.mq.internal.wire.MqConstants;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;

/**
 * What makes a queue name, checked by the client before a name goes on the wire (where a longer
 * one would not even encode) and again by the server. The errnos are Linux's for {@code mq_open}.
 */
public final class QueueNames {
  /**
   * Characters of a bad name its failure quotes: at most 6 bytes each once escaped (a backslash,
   * u and four hex digits), twice, fit the detail's MQ_DETAIL_MAX bytes.
   */
  private static final int SHOWN = 64;

  private QueueNames() {}

  /** Returns {@code name} if it is one, else fails as {@code mq_open(3)} does on Linux. */
  public static String check(String name) throws MqFailure {
    if (!name.isEmpty() && name.charAt(0) != '/') {
      String meant = name.indexOf('/') < 0 ? " (as \"/" + shown(name) + "\")" : "";
      throw new MqFailure(MqErrno.EINVAL, "a queue name starts with '/'" + meant + ": \"" + shown(name) + "\"");
    }
    if (name.length() < 2) {
      throw new MqFailure(MqErrno.EINVAL, "a queue name is '/' and at least one more character: \""
          + shown(name) + "\"");
    }
    if (name.indexOf('/', 1) >= 0) {
      // Linux: "EACCES The name contained more than one slash."
      throw new MqFailure(MqErrno.EACCES, "a queue name has no '/' after the first: " + shown(name));
    }
    if (name.indexOf('\0') >= 0) {
      // Linux's names are C strings: mq_open, and a C peer's rpcgen stubs, end one at its NUL, so
      // "/a\0b" was a queue no C program could name, and one that C lists showed as "/a".
      throw new MqFailure(MqErrno.EINVAL, "a queue name holds no NUL character, which ends a C string: "
          + shown(name));
    }
    if (holdsBytesThatAreNotUtf8(name)) {
      // Such bytes read as U+DC80..U+DCFF and go back as sent, but a queue name stays text, as before.
      throw new MqFailure(MqErrno.EINVAL, "a queue name is UTF-8 text; this one holds bytes that are not: "
          + shown(name));
    }
    if (!isWellFormed(name)) {
      // A lone surrogate has no UTF-8: the encoder wrote '?' in its place, so the name was another queue's.
      throw new MqFailure(MqErrno.EINVAL, "a queue name is Unicode text; this one holds a lone surrogate: "
          + shown(name));
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MqConstants.MQ_NAME_MAX) {
      throw new MqFailure(MqErrno.ENAMETOOLONG, "a queue name is '/' and at most " + (MqConstants.MQ_NAME_MAX - 1)
          + " bytes more, this one " + (bytes - 1) + ": " + shown(name, 32));
    }
    return name;
  }

  /**
   * Whether {@code name} holds a lone surrogate U+DC80..U+DCFF: how a string read off the wire
   * holds a byte that is not UTF-8 (see {@code XdrReader.readString}).
   */
  private static boolean holdsBytesThatAreNotUtf8(String name) {
    return name.codePoints().anyMatch(c -> c >= 0xDC80 && c <= 0xDCFF);
  }

  /** Whether every surrogate in {@code name} is half of a pair, so that it has a UTF-8 form. */
  private static boolean isWellFormed(String name) {
    return name.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
  }

  /**
   * The name as a failure's detail quotes it, safe to print and bounded: one read off the wire may
   * be 256 characters of up to 3 bytes each, and quoted twice that outgrew the detail's
   * MQ_DETAIL_MAX bytes, so the server could not send the failure. A byte that is not UTF-8 is
   * shown as {@code \xff}, not sent back raw (where a terminal printing the detail would take it
   * as the caller wrote it); so are control and line-separator characters, a lone surrogate as
   * {@code \ud800}, as {@code RateLimitedLog.escaped} writes them in a log, a NUL as {@code \0}.
   */
  private static String shown(String name) {
    return shown(name, SHOWN);
  }

  private static String shown(String name, int characters) {
    int end = name.length() <= characters ? name.length()
        : Character.isHighSurrogate(name.charAt(characters - 1)) ? characters - 1 : characters;
    StringBuilder out = new StringBuilder(end + 16);
    for (int i = 0; i < end; i++) {
      char c = name.charAt(i);
      int type = Character.getType(c);
      if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(name.charAt(i + 1))) {
        out.append(c).append(name.charAt(++i));
      } else if (c == '\0') {
        out.append("\\0");
      } else if (c >= 0xDC80 && c <= 0xDCFF) {
        out.append("\\x").append(HexFormat.of().toHexDigits((byte) c)); // the byte it stands for
      } else if (type == Character.CONTROL || type == Character.SURROGATE || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR) {
        out.append(c <= 0xff ? "\\x" : "\\u").append(c <= 0xff ? HexFormat.of().toHexDigits((byte) c)
            : HexFormat.of().toHexDigits(c));
      } else {
        out.append(c);
      }
    }
    return end < name.length() ? out.append('…').toString() : out.toString();
  }
}
