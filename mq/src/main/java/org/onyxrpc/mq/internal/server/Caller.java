package org.onyxrpc.mq.internal.server;

import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Credentials;

/**
 * Who a call says it comes from, as permission checks need it. AUTH_SYS gives a uid, a gid and
 * supplementary gids, asserted by the caller's machine and not proven; every other flavor is
 * {@link #NOBODY}, who gets only the "other" bits.
 *
 * @param uid the caller's user id
 * @param gid the caller's primary group id
 * @param gids supplementary group ids; not copied, do not modify
 */
public record Caller(int uid, int gid, int[] gids) {
  /** The overflow id Linux gives unmapped callers (65534). */
  public static final Caller NOBODY = new Caller(65534, 65534, new int[0]);

  /** The caller a call's credentials describe. */
  public static Caller of(Credentials credentials) {
    return credentials instanceof AuthSys sys ? new Caller(sys.uid(), sys.gid(), sys.gids()) : NOBODY;
  }

  boolean inGroup(int group) {
    if (gid == group) {
      return true;
    }
    for (int g : gids) {
      if (g == group) {
        return true;
      }
    }
    return false;
  }
}
