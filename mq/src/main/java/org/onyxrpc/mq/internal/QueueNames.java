package org.onyxrpc.mq.internal;

import java.nio.charset.StandardCharsets;
import org.onyxrpc.mq.internal.wire.MqConstants;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;

/**
 * What makes a queue name, checked by the client before a name goes on the wire (where a longer
 * one would not even encode) and again by the server. The errnos are Linux's for {@code mq_open}.
 */
public final class QueueNames {
  /** Characters of a bad name its failure quotes: at most 3 bytes each, twice, fit the detail. */
  private static final int SHOWN = 64;

  private QueueNames() {}

  /** Returns {@code name} if it is one, else fails as {@code mq_open(3)} does on Linux. */
  public static String check(String name) throws MqFailure {
    if (!name.isEmpty() && name.charAt(0) != '/') {
      String meant = name.indexOf('/') < 0 ? " (as \"/" + shown(name) + "\")" : "";
      throw new MqFailure(MqErrno.EINVAL, "a queue name starts with '/'" + meant + ": \"" + shown(name) + "\"");
    }
    if (name.length() < 2) {
      throw new MqFailure(MqErrno.EINVAL, "a queue name is '/' and at least one more character: \"" + name + "\"");
    }
    if (name.indexOf('/', 1) >= 0) {
      // Linux: "EACCES The name contained more than one slash."
      throw new MqFailure(MqErrno.EACCES, "a queue name has no '/' after the first: " + shown(name));
    }
    if (name.indexOf('\0') >= 0) {
      // Linux's names are C strings: mq_open, and a C peer's rpcgen stubs, end one at its NUL, so
      // "/a\0b" was a queue no C program could name, and one that C lists showed as "/a".
      throw new MqFailure(MqErrno.EINVAL, "a queue name holds no NUL character, which ends a C string: "
          + shown(name).replace("\0", "\\0"));
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
          + " bytes more, this one " + (bytes - 1) + ": " + name.substring(0, 32) + "…");
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
   * The name as a failure's detail quotes it: one read off the wire may be 256 characters of up
   * to 3 bytes each, and quoted twice that outgrew the detail's MQ_DETAIL_MAX bytes, so the
   * server could not send the failure.
   */
  private static String shown(String name) {
    return name.length() <= SHOWN ? name : name.substring(0, SHOWN) + "…";
  }
}
