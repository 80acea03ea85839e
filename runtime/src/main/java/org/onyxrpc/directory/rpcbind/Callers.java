package org.onyxrpc.directory.rpcbind;

import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.server.CallContext;

/** Who a call to the directory speaks for. */
final class Callers {
  private Callers() {}

  /**
   * The owner a call speaks for: the uid the kernel reports for a call that came through the
   * local socket (see {@link LocalSocketRelay}), else "unknown": an AUTH_SYS uid is only a claim.
   */
  static String owner(CallContext context) {
    return Owners.of(LocalSocketRelay.uidOf(context.remoteAddress()));
  }
}
