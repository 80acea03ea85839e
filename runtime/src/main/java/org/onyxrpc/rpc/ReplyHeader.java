package org.onyxrpc.rpc;

/**
 * The header of an RFC 5531 §9 reply message; on {@link RpcStatus#SUCCESS} the results follow it.
 *
 * @param xid the transaction id of the call answered
 * @param status the accept or reject status
 * @param verifier the server's verifier (accepted replies only; AUTH_NONE otherwise)
 * @param low lowest supported version for PROG_MISMATCH and RPC_MISMATCH, else 0
 * @param high highest supported version for PROG_MISMATCH and RPC_MISMATCH, else 0
 * @param authStatus why credentials were refused, for AUTH_ERROR; else AUTH_OK
 * @param authStatValue the auth_stat number as the server sent it: {@code authStatus}'s value,
 *     except in an AUTH_ERROR whose number Onyx does not know (such as 99) or that says AUTH_OK,
 *     which {@code authStatus} reads as AUTH_FAILED ("reason unknown") and this keeps
 */
public record ReplyHeader(int xid, RpcStatus status, OpaqueAuth verifier, int low, int high,
    AuthStatus authStatus, int authStatValue) {

  /**
   * Rejects local statuses, which never travel, and an auth_stat number that {@code authStatus}
   * does not stand for.
   *
   * @param xid the transaction id of the call answered
   * @param status a status that travels on the wire
   * @param verifier the server's verifier
   * @param low lowest supported version, or 0
   * @param high highest supported version, or 0
   * @param authStatus the AUTH_ERROR reason, else AUTH_OK
   * @param authStatValue {@code authStatus}'s value, or for AUTH_FAILED in an AUTH_ERROR a
   *     number it stands for: one Onyx does not know, or AUTH_OK's
   * @throws IllegalArgumentException if {@code status} is a local one, or {@code authStatValue}
   *     is another known reason than {@code authStatus}
   */
  public ReplyHeader {
    if (status.kind() == RpcStatus.Kind.LOCAL) {
      throw new IllegalArgumentException(status + " is not a reply status");
    }
    if (authStatValue != authStatus.value() && !(status == RpcStatus.AUTH_ERROR
        && authStatus == AuthStatus.AUTH_FAILED && unknownReason(authStatValue))) {
      throw new IllegalArgumentException(
          "auth_stat " + authStatValue + " is not " + authStatus + " in a " + status + " reply");
    }
  }

  /**
   * A header whose auth_stat number is {@code authStatus}'s own: every header but one read from
   * an AUTH_ERROR with a reason Onyx does not know.
   *
   * @param xid the transaction id of the call answered
   * @param status a status that travels on the wire
   * @param verifier the server's verifier
   * @param low lowest supported version, or 0
   * @param high highest supported version, or 0
   * @param authStatus the AUTH_ERROR reason, else AUTH_OK
   * @throws IllegalArgumentException if {@code status} is a local one
   */
  public ReplyHeader(
      int xid, RpcStatus status, OpaqueAuth verifier, int low, int high, AuthStatus authStatus) {
    this(xid, status, verifier, low, high, authStatus, authStatus.value());
  }

  /**
   * An accepted reply with a status that carries no data (SUCCESS, PROG_UNAVAIL, …).
   *
   * @param xid the transaction id of the call answered
   * @param status an accept status
   * @return the header, with the AUTH_NONE verifier
   */
  public static ReplyHeader accepted(int xid, RpcStatus status) {
    return accepted(xid, status, OpaqueAuth.NONE);
  }

  /**
   * An accepted reply with a status that carries no data, and the server's verifier.
   *
   * @param xid the transaction id of the call answered
   * @param status an accept status
   * @param verifier the server's verifier
   * @return the header
   */
  public static ReplyHeader accepted(int xid, RpcStatus status, OpaqueAuth verifier) {
    return new ReplyHeader(xid, status, verifier, 0, 0, AuthStatus.AUTH_OK);
  }

  /**
   * PROG_MISMATCH: the server has versions {@code low..high} of the program.
   *
   * @param xid the transaction id of the call answered
   * @param low the lowest version served
   * @param high the highest version served
   * @return the header
   */
  public static ReplyHeader progMismatch(int xid, int low, int high) {
    return new ReplyHeader(xid, RpcStatus.PROG_MISMATCH, OpaqueAuth.NONE, low, high, AuthStatus.AUTH_OK);
  }

  /**
   * RPC_MISMATCH: the server speaks ONC RPC versions {@code low..high}.
   *
   * @param xid the transaction id of the call answered
   * @param low the lowest ONC RPC version spoken
   * @param high the highest
   * @return the header
   */
  public static ReplyHeader rpcMismatch(int xid, int low, int high) {
    return new ReplyHeader(xid, RpcStatus.RPC_MISMATCH, OpaqueAuth.NONE, low, high, AuthStatus.AUTH_OK);
  }

  /**
   * AUTH_ERROR with its reason.
   *
   * @param xid the transaction id of the call answered
   * @param reason why the credentials were refused
   * @return the header
   * @throws IllegalArgumentException for AUTH_OK, which refuses nothing
   */
  public static ReplyHeader authError(int xid, AuthStatus reason) {
    requireRefusal(reason);
    return new ReplyHeader(xid, RpcStatus.AUTH_ERROR, OpaqueAuth.NONE, 0, 0, reason);
  }

  /**
   * AUTH_ERROR with the auth_stat number a reply carried: one Onyx does not know, or AUTH_OK
   * (success, no reason to refuse), reads as AUTH_FAILED, "reason unknown", its number kept in
   * {@link #authStatValue()} for the caller to see, as libtirpc's clnt_perror shows "unknown
   * authentication error - 99".
   *
   * @param xid the transaction id of the call answered
   * @param authStatValue the auth_stat as read
   * @return the header
   */
  public static ReplyHeader authError(int xid, int authStatValue) {
    AuthStatus reason = AuthStatus.of(authStatValue);
    // AUTH_OK still means "not an AUTH_ERROR" to RpcException's callers
    return new ReplyHeader(xid, RpcStatus.AUTH_ERROR, OpaqueAuth.NONE, 0, 0,
        reason == AuthStatus.AUTH_OK ? AuthStatus.AUTH_FAILED : reason, authStatValue);
  }

  /** True if {@code value} is AUTH_OK's or a number no {@link AuthStatus} has. */
  static boolean unknownReason(int value) {
    AuthStatus known = AuthStatus.of(value);
    return known == AuthStatus.AUTH_OK || known.value() != value;
  }

  /** A peer reads AUTH_OK in an AUTH_ERROR as no reason at all (Onyx as AUTH_FAILED). */
  static void requireRefusal(AuthStatus reason) {
    if (reason == AuthStatus.AUTH_OK) {
      throw new IllegalArgumentException("AUTH_OK refuses nothing: an AUTH_ERROR needs a reason");
    }
  }
}
