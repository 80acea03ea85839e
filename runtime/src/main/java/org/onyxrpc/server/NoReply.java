package org.onyxrpc.server;

/**
 * Thrown by a handler that must send no reply at all, where a protocol says a failure is silent:
 * RFC 1833's indirect calls (PMAPPROC_CALLIT, RPCBPROC_CALLIT) answer only when the procedure
 * they relay succeeds, so that a broadcast is not answered by every machine that lacks it.
 */
public final class NoReply extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Says why no reply is sent, for the server's debug log.
   *
   * @param reason why, for the log
   */
  public NoReply(String reason) {
    super(reason, null, false, false);
  }
}
