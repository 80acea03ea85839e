package org.onyxrpc.rpc;

/**
 * Every outcome of a remote call: the accept and reject statuses of RFC 5531 §9 with their wire
 * values, and the outcomes that arise on the caller's side without a reply.
 *
 * <p>One enum for all of them, carried by one exception type ({@link RpcException}), so a caller
 * handles failures by switching on a status rather than catching a family of classes. Each
 * status's description says whether the procedure may have run, which is what decides whether a
 * call may be made again: one that did not run (the server's refusals, {@link #UNAVAILABLE},
 * {@link #RESOURCE_EXHAUSTED}) may always be; one that may have run ({@link #TIMEOUT}, {@link
 * #OUTCOME_UNKNOWN}, {@link #SYSTEM_ERR}, {@link #CANCELLED}, a reply {@link #INTERNAL} could not
 * decode) only if running it twice does no harm (an {@code @idempotent} procedure, {@link
 * CallSemantics}): a call made again is a new call, which no server's duplicate filter takes for
 * the first, even for {@link CallSemantics#AT_MOST_ONCE}. The server's refusals other than
 * {@link #SYSTEM_ERR} come again from the same server for the same call and credentials. The
 * exception's message names the call and the server.
 */
public enum RpcStatus {
  /** RFC 5531 accept_stat SUCCESS: the procedure ran and its results follow. */
  SUCCESS(Kind.ACCEPTED, 0),
  /**
   * RFC 5531 accept_stat PROG_UNAVAIL: the server does not export the program. The procedure did
   * not run; the same server will refuse it again (another may serve it).
   */
  PROG_UNAVAIL(Kind.ACCEPTED, 1),
  /**
   * RFC 5531 accept_stat PROG_MISMATCH: the server has other versions ({@link RpcException#low()}
   * .. {@link RpcException#high()}). The procedure did not run.
   */
  PROG_MISMATCH(Kind.ACCEPTED, 2),
  /**
   * RFC 5531 accept_stat PROC_UNAVAIL: the program version has no such procedure. The procedure
   * did not run.
   */
  PROC_UNAVAIL(Kind.ACCEPTED, 3),
  /**
   * RFC 5531 accept_stat GARBAGE_ARGS: the server could not decode the arguments, or the
   * procedure's implementation found them invalid (the reply does not say which). The call was
   * not carried out, so it may be sent again, elsewhere too; but the same arguments will be
   * refused again: they were wrong for this server (an encoder's fault, or client and server
   * built from different IDLs). An Onyx client's message says whether its own codec is at fault.
   */
  GARBAGE_ARGS(Kind.ACCEPTED, 4),
  /**
   * RFC 5531 accept_stat SYSTEM_ERR: the server failed the call. The procedure may have run: it
   * began and threw, or the server had no room for the call and did not run it.
   */
  SYSTEM_ERR(Kind.ACCEPTED, 5),
  /**
   * RFC 5531 reject_stat RPC_MISMATCH: the server speaks other RPC versions (low..high). The
   * procedure did not run.
   */
  RPC_MISMATCH(Kind.DENIED, 0),
  /**
   * RFC 5531 reject_stat AUTH_ERROR: the server refused the credentials; see {@link
   * RpcException#authStatus()}. The procedure did not run; the same credentials will be refused
   * again.
   */
  AUTH_ERROR(Kind.DENIED, 1),
  /**
   * No reply within the call's deadline. The procedure may or may not have run (once, or for an
   * at-least-once or maybe call, more than once).
   */
  TIMEOUT(Kind.LOCAL, -1),
  /**
   * The server could not be reached, and no transmission of the call ever left this process: the
   * procedure did not run, and the call may safely be made elsewhere. A call that may have
   * reached a server is never reported UNAVAILABLE.
   */
  UNAVAILABLE(Kind.LOCAL, -1),
  /**
   * The caller's thread was interrupted while it waited, or the client was closed with the call
   * outstanding. The procedure may or may not have run. A call made on a client already closed
   * did not run: its message says "not sent". (A future cancelled through {@code
   * cancel} completes with a {@code CancellationException} instead, as every future does.)
   */
  CANCELLED(Kind.LOCAL, -1),
  /**
   * A local limit was hit (too many calls outstanding, a message over the maximum size): the
   * call was not sent, and did not run.
   */
  RESOURCE_EXHAUSTED(Kind.LOCAL, -1),
  /**
   * The arguments could not be encoded (the call was not sent and did not run), or the reply
   * could not be decoded (the procedure ran).
   */
  INTERNAL(Kind.LOCAL, -1),
  /**
   * The procedure may have executed, and will not now: either an at-most-once call was
   * retransmitted and the server cannot tell whether the first transmission ran (it restarted
   * since, or forgot the call; the server sends SYSTEM_ERR with Onyx's reply tag and did not run
   * it again), or the connection a transmission went out on was lost before its reply and the
   * call cannot be sent again (the server cannot be reached any more, or the call is not one
   * that is retransmitted).
   */
  OUTCOME_UNKNOWN(Kind.LOCAL, -1);

  /** Where a status comes from. */
  public enum Kind {
    /** An accepted reply (RFC 5531 accept_stat). */
    ACCEPTED,
    /** A denied reply (RFC 5531 reject_stat). */
    DENIED,
    /** Decided by the caller's side, with no reply on the wire. */
    LOCAL
  }

  private static final RpcStatus[] ACCEPT = {
    SUCCESS, PROG_UNAVAIL, PROG_MISMATCH, PROC_UNAVAIL, GARBAGE_ARGS, SYSTEM_ERR
  };

  private final Kind kind;
  private final int wireValue;

  RpcStatus(Kind kind, int wireValue) {
    this.kind = kind;
    this.wireValue = wireValue;
  }

  /**
   * Where this status comes from.
   *
   * @return accepted, rejected or local
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The accept_stat or reject_stat value on the wire; -1 for local outcomes.
   *
   * @return the value, or -1
   */
  public int wireValue() {
    return wireValue;
  }

  /**
   * The status for an accept_stat value, or null if RFC 5531 defines none.
   *
   * @param value an accept_stat read from a reply
   * @return the status, or null
   */
  public static RpcStatus accepted(int value) {
    return value >= 0 && value < ACCEPT.length ? ACCEPT[value] : null;
  }
}
