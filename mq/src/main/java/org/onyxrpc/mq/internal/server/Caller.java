package org.onyxrpc.mq.internal.server;

import org.onyxrpc.internal.transport.ClientAddress;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.server.PeerCredentials;

/**
 * Who a call comes from, as permission checks need it, and where it comes from, as the host's
 * per-client limits count it. Over a Unix-domain connection the kernel says who the caller is
 * ({@code SO_PEERCRED}): its uid and gid, whatever the credential claims, and no supplementary
 * groups, which the kernel does not report and a credential only claims. Otherwise AUTH_SYS
 * gives a uid, a gid and supplementary gids, asserted by the caller's machine and not proven;
 * every other flavor is the user nobody, who gets only the "other" bits. The client is what the caller cannot choose as freely: its IP
 * address ({@link ClientAddress}: not the port, an IPv6 address by its /64; one host is one
 * client, however many connections it opens), or for a Unix-domain connection the uid the
 * kernel reports.
 *
 * @param uid the caller's user id
 * @param gid the caller's primary group id
 * @param gids supplementary group ids; not copied, do not modify
 * @param client what the per-client limits count against
 */
public record Caller(int uid, int gid, int[] gids, Object client) {
  /** The overflow id Linux gives unmapped callers (65534). */
  public static final int NOBODY = 65534;

  /** The caller the kernel reports, or else the one a call's credentials describe, from where it came. */
  public static Caller of(CallContext context) {
    Object client = clientOf(context);
    if (context.peerCredentials().isPresent()) {
      // The kernel's word: before, any local user claimed another's uid in AUTH_SYS and got its
      // queues, through the very socket that tells the server who it is.
      PeerCredentials peer = context.peerCredentials().get();
      return new Caller(peer.uid(), peer.gid() == -1 ? NOBODY : peer.gid(), new int[0], client);
    }
    return context.credentials() instanceof AuthSys sys
        ? new Caller(sys.uid(), sys.gid(), sys.gids(), client)
        : new Caller(NOBODY, NOBODY, new int[0], client);
  }

  private static Object clientOf(CallContext context) {
    Object address = ClientAddress.of(context.remoteAddress());
    if (address != null) {
      return address;
    }
    return context.peerCredentials().<Object>map(p -> "uid " + p.uid()).orElse("local");
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
