package org.onyxrpc.rpc;

import java.util.Objects;

/**
 * The one exception every failed call surfaces as: a {@link RpcStatus} and a message that says
 * which call failed and why, e.g. "program 0x20000101 version 3 not available: server has 1..2".
 *
 * <p>Unchecked, like grpc-java's {@code StatusRuntimeException}: remote failure is handled where
 * the caller can do something about it, not at every call site.
 */
public final class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  private final RpcStatus status;
  /** Lowest version the server supports, for PROG_MISMATCH and RPC_MISMATCH; else 0. */
  private final int low;
  /** Highest version the server supports, for PROG_MISMATCH and RPC_MISMATCH; else 0. */
  private final int high;
  /** Why credentials were refused, for AUTH_ERROR; else AUTH_OK. */
  private final AuthStatus authStatus;
  /** The auth_stat number the server sent: authStatus's, unless one Onyx does not know. */
  private final int authStatValue;
  /** Read in a reply this process received, rather than made here: see {@link #received()}. */
  private final boolean received;

  /**
   * A failure with no version range or auth reason.
   *
   * @param status what went wrong
   * @param message which call failed and why, for people
   */
  public RpcException(RpcStatus status, String message) {
    this(status, message, null);
  }

  /**
   * A failure caused by {@code cause} (a lost connection, a decode error).
   *
   * @param status what went wrong
   * @param message which call failed and why, for people
   * @param cause the failure found, or null
   */
  public RpcException(RpcStatus status, String message, Throwable cause) {
    this(status, message, cause, 0, 0, AuthStatus.AUTH_OK, 0, true, false);
  }

  private RpcException(RpcStatus status, String message, Throwable cause, int low, int high,
      AuthStatus auth, int authStatValue, boolean stackTrace, boolean received) {
    super(message, cause, true, stackTrace);
    this.status = status;
    this.low = low;
    this.high = high;
    this.authStatus = auth;
    this.authStatValue = authStatValue;
    this.received = received;
  }

  /**
   * An AUTH_ERROR failure with its reason; a server handler may throw it to refuse a caller.
   * It has no stack trace: it is the refusal sent back, not a fault, and an authenticator makes
   * one for each call it refuses, on the server's I/O thread, as fast as a peer sends them (a
   * trace cost several times the rest of the refusal). Its message says why.
   *
   * @param reason the reason sent in the AUTH_ERROR reply, such as AUTH_TOOWEAK
   * @param message why, for the server's log and the local caller
   * @return the exception, not thrown
   * @throws IllegalArgumentException for AUTH_OK, which refuses nothing
   */
  public static RpcException authError(AuthStatus reason, String message) {
    Objects.requireNonNull(reason, "reason");
    ReplyHeader.requireRefusal(reason);
    return new RpcException(RpcStatus.AUTH_ERROR, message, null, 0, 0, reason, reason.value(), false, false);
  }

  /**
   * The exception for an unsuccessful reply to a call of {@code procedure}.
   *
   * @param reply a reply whose status is not SUCCESS
   * @param procedure the procedure called, named in the message
   * @return the exception, not thrown
   * @throws IllegalArgumentException if {@code reply} succeeded
   */
  public static RpcException fromReply(ReplyHeader reply, Procedure<?, ?> procedure) {
    return fromReply(reply, procedure, OpaqueAuth.AUTH_NONE);
  }

  /**
   * The exception for an unsuccessful reply to a call that carried a credential of {@code
   * credentialFlavor}: as {@link #fromReply(ReplyHeader, Procedure)}, but an AUTH_TOOWEAK reply
   * to a call that had more than AUTH_NONE does not suggest AUTH_SYS in its place.
   *
   * @param reply a reply whose status is not SUCCESS
   * @param procedure the procedure called, named in the message
   * @param credentialFlavor the flavor of the call's credential, such as {@link OpaqueAuth#AUTH_SYS}
   * @return the exception, not thrown
   * @throws IllegalArgumentException if {@code reply} succeeded
   */
  public static RpcException fromReply(
      ReplyHeader reply, Procedure<?, ?> procedure, int credentialFlavor) {
    return fromReply(reply, procedure, credentialFlavor, false, false);
  }

  /**
   * The exception for an unsuccessful reply to a call that carried a credential of {@code
   * credentialFlavor}, over TLS or not: as {@link #fromReply(ReplyHeader, Procedure, int)}, but
   * an AUTH_TOOWEAK reply to a call that came over TLS does not suggest TLS, and says whether the
   * client's certificate was offered: then the server wants other credentials or another
   * certificate; without one, a certificate it accepts may be what it wants.
   *
   * @param reply a reply whose status is not SUCCESS
   * @param procedure the procedure called, named in the message
   * @param credentialFlavor the flavor of the call's credential, such as {@link OpaqueAuth#AUTH_SYS}
   * @param tls whether the call went inside TLS
   * @param clientCertificate whether the client sent a certificate in that TLS handshake
   * @return the exception, not thrown
   * @throws IllegalArgumentException if {@code reply} succeeded
   */
  public static RpcException fromReply(ReplyHeader reply, Procedure<?, ?> procedure,
      int credentialFlavor, boolean tls, boolean clientCertificate) {
    return fromReply(reply, procedure, credentialFlavor, tls, clientCertificate, null);
  }

  /**
   * The exception for an unsuccessful reply from the server {@code server}: as {@link
   * #fromReply(ReplyHeader, Procedure, int, boolean, boolean)}, with the server named in the
   * message, so that a log line of it says who answered so ("server tcp 10.0.0.7:4711 failed
   * …"), as the client's own failures (TIMEOUT, UNAVAILABLE) name where they called.
   *
   * @param reply a reply whose status is not SUCCESS
   * @param procedure the procedure called, named in the message
   * @param credentialFlavor the flavor of the call's credential, such as {@link OpaqueAuth#AUTH_SYS}
   * @param tls whether the call went inside TLS
   * @param clientCertificate whether the client sent a certificate in that TLS handshake
   * @param server the server as the message names it, such as {@code tcp 10.0.0.7:4711}; null
   *     for "the server"
   * @return the exception, not thrown
   * @throws IllegalArgumentException if {@code reply} succeeded
   */
  public static RpcException fromReply(ReplyHeader reply, Procedure<?, ?> procedure,
      int credentialFlavor, boolean tls, boolean clientCertificate, String server) {
    Objects.requireNonNull(reply, "reply");
    Objects.requireNonNull(procedure, "procedure");
    String pv = ProgramVersion.describe(procedure.program(), procedure.version());
    String named = server == null ? "server" : "server " + server;
    String message = switch (reply.status()) {
      case PROG_UNAVAIL -> "program 0x" + Integer.toHexString(procedure.program())
          + " not available on " + (server == null ? "the server" : named)
          + " (calling " + procedure.name() + ")";
      case PROG_MISMATCH -> pv + " not available: " + named + versions(" has ", reply);
      case PROC_UNAVAIL -> "procedure " + procedure.number() + " (" + procedure.name()
          + ") not available in " + pv + (server == null ? "" : " on " + named);
      // The reply cannot say who chose the status: the server's decoder (stubs of two versions of
      // the IDL do this), or the procedure's implementation, which may throw it for arguments
      // that decode but make no sense (ProcedureHandler). Claiming the first would send the
      // author of a valid call to compare IDLs when the application refused the values.
      case GARBAGE_ARGS -> named + " refused the arguments of " + procedure.describe()
          + " (GARBAGE_ARGS) and did not carry out the call: it could not decode them, or its"
          + " implementation found them invalid. The call may be sent again, but these arguments"
          + " will be refused again (are client and server built from the same IDL?)";
      // The server cannot say whether the procedure ran (RpcStatus.SYSTEM_ERR): nor may the message.
      case SYSTEM_ERR -> named + " failed " + procedure.describe()
          + " with a system error; it may have run";
      case RPC_MISMATCH -> "ONC RPC version " + CallHeader.RPC_VERSION
          + " not available: " + named + versions(" speaks ", reply) + " (calling " + procedure.name() + ")";
      case AUTH_ERROR -> named + " refused the credentials of " + procedure.describe() + ": "
          + reason(reply) + (reply.authStatus() == AuthStatus.AUTH_TOOWEAK
              ? tooWeak(credentialFlavor, tls, clientCertificate)
              : reply.authStatus() == AuthStatus.AUTH_REJECTEDCRED
              ? " (the server does not admit these credentials to this call)" : "");
      default -> throw new IllegalArgumentException(reply.status() + " is not a failed reply");
    };
    return fromReply(reply, message);
  }

  /**
   * The exception for an unsuccessful reply, with a message of the caller's own: for a client
   * that can say more of why than the status does (which of its codecs is at fault, say). It is
   * {@link #received()}, as every exception made from a reply is.
   *
   * @param reply a reply whose status is not SUCCESS
   * @param message which call failed and why, for people
   * @return the exception, not thrown
   * @throws IllegalArgumentException if {@code reply} succeeded
   */
  public static RpcException fromReply(ReplyHeader reply, String message) {
    Objects.requireNonNull(reply, "reply");
    if (reply.status() == RpcStatus.SUCCESS) {
      throw new IllegalArgumentException(reply.status() + " is not a failed reply");
    }
    return new RpcException(reply.status(), message, null, reply.low(), reply.high(),
        reply.authStatus(), reply.authStatValue(), true, true);
  }

  /**
   * An AUTH_ERROR's reason as a person reads it: its name, or for a number Onyx does not know
   * the number, in libtirpc's clnt_perror's words ("unknown authentication error - 99"), so that
   * a server's own reasons (a newer RFC's, a vendor's) can be looked up.
   */
  private static String reason(ReplyHeader reply) {
    int sent = reply.authStatValue();
    if (sent == reply.authStatus().value()) {
      return reply.authStatus().name();
    }
    return (sent == AuthStatus.AUTH_OK.value() ? "AUTH_OK (0), which is no reason"
        : "unknown authentication error - " + sent) + " (read as " + reply.authStatus() + ")";
  }

  /**
   * What AUTH_TOOWEAK may ask of a call that had {@code credentialFlavor}, over the channel it
   * went on: libtirpc's svcerr_weakauth says it to AUTH_NONE callers, servers to callers whose
   * AUTH_SYS they do not trust (a uid, a host), TLS servers to plaintext callers, and a server
   * that maps certificates to callers to a TLS caller without one (or with one it does not admit
   * with these credentials). Suggests only what the call did not already have.
   */
  private static String tooWeak(int credentialFlavor, boolean tls, boolean clientCertificate) {
    boolean none = credentialFlavor == OpaqueAuth.AUTH_NONE;
    String had = none ? "" : " than this call's "
        + (credentialFlavor == OpaqueAuth.AUTH_SYS ? "AUTH_SYS" : "flavor " + credentialFlavor)
        + " credentials";
    String credentials = none ? "AUTH_SYS rather than AUTH_NONE" : "other credentials";
    if (!tls) {
      return " (the server wants stronger security" + had + ": " + credentials
          + ", TLS, or a client certificate it accepts)";
    }
    return " (the server wants stronger security" + (none ? " than AUTH_NONE" : had) + " over TLS "
        + (clientCertificate
            ? "with this client's certificate: " + credentials + ", or another certificate it accepts)"
            : "without a client certificate: a client certificate it accepts, or " + credentials + ")");
  }

  /**
   * A mismatch's range as a person reads it, after {@code verb}: "1..2", or "version 1 only" where
   * low is high (most servers have one version, and "1..1" reads as a typo). A range with low
   * above high names no version at all: quoted as sent ("has 9..3") it would read as versions 3 to
   * 9, so it is said to be empty, with both numbers as sent.
   */
  private static String versions(String verb, ReplyHeader reply) {
    String low = Integer.toUnsignedString(reply.low());
    String high = Integer.toUnsignedString(reply.high());
    if (!hasVersions(reply.low(), reply.high())) {
      return " sent an empty version range (low " + low + " above high " + high + "), naming no version";
    }
    return verb + (reply.low() == reply.high() ? "version " + low + " only" : low + ".." + high);
  }

  /** Whether {@code low..high} (unsigned) names any version: not where low is above high. */
  private static boolean hasVersions(int low, int high) {
    return Integer.compareUnsigned(low, high) <= 0;
  }

  /**
   * This failure again, made on the calling thread, with this one (made where the failure was
   * found, often an I/O thread) as its cause: what a sync call throws, so that the stack shows
   * the caller.
   *
   * @return a new exception of the same status, range and auth reason
   */
  public RpcException rethrownHere() {
    return new RpcException(status, getMessage(), this, low, high, authStatus, authStatValue, true,
        received);
  }

  /**
   * Whether this failure was read in a reply this process received from a server ({@link
   * #fromReply}, as a client makes of every error reply), rather than made here. Its status is
   * then that server's answer to another call: a procedure that lets it out of a call it made
   * (an {@code AUTH_ERROR}, {@code PROC_UNAVAIL} or {@code GARBAGE_ARGS} of that call) did run,
   * so its own caller is answered {@code SYSTEM_ERR}, not told that its own credentials,
   * procedure or arguments were refused. A procedure that relays calls and means to answer as
   * the server it relayed to did throws {@link #relayed()}.
   *
   * @return true if made from a reply received, or rethrown from one
   */
  public boolean received() {
    return received;
  }

  /**
   * This failure, to be sent by a server as its own reply to the call it serves: for a procedure
   * that relays calls to another server (a proxy, rpcbind's indirect calls) and answers as that
   * server did. Its status then claims what it claims of the relayed call (that it did not run,
   * for a refusal) of the caller's call too: throw it only before doing anything else for that
   * call. A {@link RpcStatus.Kind#LOCAL} status (TIMEOUT, UNAVAILABLE…) is still no reply's:
   * the caller is answered {@code SYSTEM_ERR}.
   *
   * @return a new exception of the same status, range, auth reason and message, with this one
   *     as its cause, not {@link #received()}
   */
  public RpcException relayed() {
    return new RpcException(status, getMessage(), this, low, high, authStatus, authStatValue,
        false, false);
  }

  /**
   * What went wrong.
   *
   * @return the status, never null
   */
  public RpcStatus status() {
    return status;
  }

  /**
   * Lowest version the server supports, for PROG_MISMATCH and RPC_MISMATCH; else 0. As the
   * server sent it: a faulty one may send it above {@link #high()}, a range of no version.
   *
   * @return the version, unsigned
   */
  public int low() {
    return low;
  }

  /**
   * Highest version the server supports, for PROG_MISMATCH and RPC_MISMATCH; else 0. As the
   * server sent it: a faulty one may send it below {@link #low()}, a range of no version.
   *
   * @return the version, unsigned
   */
  public int high() {
    return high;
  }

  /**
   * Why credentials were refused, for AUTH_ERROR; else AUTH_OK.
   *
   * @return the auth reason, never null
   */
  public AuthStatus authStatus() {
    return authStatus;
  }

  /**
   * The auth_stat number the server sent, for AUTH_ERROR: {@code authStatus().value()}, except
   * where the server sent a number Onyx does not know (such as 99, or AUTH_OK's 0), which
   * {@link #authStatus()} reads as AUTH_FAILED, "reason unknown"; 0 (AUTH_OK) for other failures.
   *
   * @return the auth_stat number, as the server sent it
   */
  public int authStatValue() {
    return authStatValue;
  }

  @Override
  public String toString() {
    return "RpcException: " + status + ": " + getMessage();
  }
}
