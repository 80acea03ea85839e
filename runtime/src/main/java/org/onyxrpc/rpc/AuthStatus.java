package org.onyxrpc.rpc;

/** RFC 5531 §9 auth_stat: why a server refused a call's credentials or verifier. */
public enum AuthStatus {
  /** Success: never sent in a denied reply, and read as {@link #AUTH_FAILED} in one. */
  AUTH_OK(0),
  /** Bad credential (seal broken). */
  AUTH_BADCRED(1),
  /** The client must begin a new session. */
  AUTH_REJECTEDCRED(2),
  /** Bad verifier (seal broken). */
  AUTH_BADVERF(3),
  /** Verifier expired or replayed. */
  AUTH_REJECTEDVERF(4),
  /** Rejected for security reasons: the procedure needs a stronger flavor. */
  AUTH_TOOWEAK(5),
  /** Bogus response verifier. */
  AUTH_INVALIDRESP(6),
  /** Reason unknown. */
  AUTH_FAILED(7),
  /** Kerberos generic error. */
  AUTH_KERB_GENERIC(8),
  /** Time of credential expired. */
  AUTH_TIMEEXPIRE(9),
  /** Problem with ticket file. */
  AUTH_TKT_FILE(10),
  /** Can't decode authenticator. */
  AUTH_DECODE(11),
  /** Wrong net address in ticket. */
  AUTH_NET_ADDR(12),
  /** RPCSEC_GSS: no credentials for user. */
  RPCSEC_GSS_CREDPROBLEM(13),
  /** RPCSEC_GSS: problem with context. */
  RPCSEC_GSS_CTXPROBLEM(14);

  private static final AuthStatus[] BY_VALUE = values();
  private final int value;

  AuthStatus(int value) {
    this.value = value;
  }

  /**
   * The value on the wire.
   *
   * @return the auth_stat value
   */
  public int value() {
    return value;
  }

  /**
   * The status for a wire value; {@link #AUTH_FAILED} for values RFC 5531 does not define.
   *
   * @param value an auth_stat read from a reply
   * @return the status, never null
   */
  public static AuthStatus of(int value) {
    return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : AUTH_FAILED;
  }
}
