package org.onyxrpc.internal.rpc;

import org.onyxrpc.rpc.AuthSys;

/**
 * Whether an AUTH_SYS credential body is one {@link AuthSys#fromBody} reads, told without
 * throwing. A server refuses a malformed credential with AUTH_BADCRED on its I/O thread; made by
 * an {@link org.onyxrpc.xdr.XdrException}, each refusal filled in a stack trace, and a peer
 * flooding such calls was refused at several times the cost of any other refused call. The
 * checks and their words are {@code XdrReader}'s, in {@code fromBody}'s order, so the reason is
 * the message {@code fromBody} would throw ({@code AuthSysBodiesTest} holds them to it).
 */
public final class AuthSysBodies {
  private AuthSysBodies() {}

  /**
   * Why {@code body} is not a well-formed AUTH_SYS credential, or null when {@link
   * AuthSys#fromBody} reads it.
   *
   * @param body a credential's opaque body
   * @return the reason, as {@code fromBody}'s exception words it, or null
   */
  public static String malformation(byte[] body) {
    int at = 0;
    int left = body.length;
    if (left < 4) {
      return "unsigned int needs 4 bytes, only " + left + " left"; // stamp
    }
    at += 4;
    left -= 4;
    if (left < 4) {
      return "opaque length needs 4 bytes, only " + left + " left";
    }
    int length = word(body, at); // machinename<255>
    at += 4;
    left -= 4;
    if (Integer.compareUnsigned(length, AuthSys.MAX_MACHINE_NAME) > 0) {
      return "opaque length " + Integer.toUnsignedString(length) + " bytes exceeds its maximum of "
          + AuthSys.MAX_MACHINE_NAME + " bytes";
    }
    if (length > left) {
      return "opaque length " + length + " needs " + length + " bytes, only " + left + " left";
    }
    if (length > 0) {
      int padded = (length + 3) & ~3;
      if (padded > left) {
        return "opaque needs " + padded + " bytes, only " + left + " left";
      }
      for (int i = at + length; i < at + padded; i++) {
        if (body[i] != 0) {
          return "padding must be zero";
        }
      }
      at += padded;
      left -= padded;
    }
    for (int i = 0; i < 2; i++) { // uid, gid
      if (left < 4) {
        return "unsigned int needs 4 bytes, only " + left + " left";
      }
      at += 4;
      left -= 4;
    }
    if (left < 4) {
      return "array length needs 4 bytes, only " + left + " left";
    }
    int gids = word(body, at);
    left -= 4;
    if (Integer.compareUnsigned(gids, AuthSys.MAX_GIDS) > 0) {
      return "array length " + Integer.toUnsignedString(gids) + " elements exceeds its maximum of "
          + AuthSys.MAX_GIDS + " elements";
    }
    if (4L * gids > left) {
      return "array length " + gids + " needs at least " + 4L * gids + " bytes, only " + left
          + " left";
    }
    return null; // bytes after the gids are not read, as fromBody does not
  }

  private static int word(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8
        | b[at + 3] & 0xFF;
  }
}
