package org.onyxrpc.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.onyxrpc.xdr.XdrCodecs;

/** {@link RpcException#fromReply}: the whole message for every failed reply, and what it carries. */
class RpcExceptionTest {
  private static final int XID = 7;
  private static final Procedure<Void, Void> ADD_V1 =
      new Procedure<>(0x20000101, 1, 2, "Calculator.add", XdrCodecs.VOID, XdrCodecs.VOID);
  private static final Procedure<Void, Void> ADD_V3 =
      new Procedure<>(0x20000101, 3, 2, "Calculator.add", XdrCodecs.VOID, XdrCodecs.VOID);

  private static RpcException from(ReplyHeader reply, Procedure<?, ?> procedure) {
    RpcException e = RpcException.fromReply(reply, procedure);
    assertSame(reply.status(), e.status());
    assertNull(e.getCause());
    return e;
  }

  @Test
  void progUnavail() {
    RpcException e = from(ReplyHeader.accepted(XID, RpcStatus.PROG_UNAVAIL), ADD_V1);
    assertEquals("program 0x20000101 not available on the server (calling Calculator.add)",
        e.getMessage());
  }

  @Test
  void progMismatchNamesTheVersionsTheServerHas() {
    RpcException e = from(ReplyHeader.progMismatch(XID, 1, 2), ADD_V3);
    assertEquals("program 0x20000101 version 3 not available: server has 1..2", e.getMessage());
    assertEquals(1, e.low());
    assertEquals(2, e.high());
    assertEquals(AuthStatus.AUTH_OK, e.authStatus());
  }

  @Test
  void progMismatchShowsVersionsUnsigned() {
    RpcException e = from(ReplyHeader.progMismatch(XID, 0, -1), ADD_V3);
    assertEquals("program 0x20000101 version 3 not available: server has 0..4294967295",
        e.getMessage());
  }

  /** Most servers have one version: "1..1" read as a typo, and left the reader to work it out. */
  @Test
  void progMismatchOfOneVersionSaysItIsTheOnlyOne() {
    RpcException e = from(ReplyHeader.progMismatch(XID, 1, 1), ADD_V3);
    assertEquals("program 0x20000101 version 3 not available: server has version 1 only",
        e.getMessage());
    assertEquals(1, e.low());
    assertEquals(1, e.high());
  }

  /**
   * A range with low above high names no version: quoted as sent ("has 9..3") it read as versions
   * 3 to 9. The numbers stay as sent, compared unsigned (4294967295 is above 0).
   */
  @Test
  void anUpsideDownRangeIsSaidToNameNoVersion() {
    RpcException e = from(ReplyHeader.progMismatch(XID, 9, 3), ADD_V1);
    assertEquals("program 0x20000101 version 1 not available: server sent an empty version range"
        + " (low 9 above high 3), naming no version", e.getMessage());
    assertEquals(9, e.low());
    assertEquals(3, e.high());
    RpcException rpc = from(ReplyHeader.rpcMismatch(XID, -1, 0), ADD_V1);
    assertEquals("ONC RPC version 2 not available: server sent an empty version range (low"
        + " 4294967295 above high 0), naming no version (calling Calculator.add)", rpc.getMessage());
  }

  @Test
  void procUnavail() {
    RpcException e = from(ReplyHeader.accepted(XID, RpcStatus.PROC_UNAVAIL), ADD_V1);
    assertEquals("procedure 2 (Calculator.add) not available in program 0x20000101 version 1",
        e.getMessage());
  }

  @Test
  void garbageArgs() {
    RpcException e = from(ReplyHeader.accepted(XID, RpcStatus.GARBAGE_ARGS), ADD_V1);
    // Not "could not decode": an implementation may throw GARBAGE_ARGS for arguments that
    // decode, and the reply does not say which it was.
    assertEquals("server refused the arguments of Calculator.add (program 0x20000101 version 1"
        + " procedure 2) (GARBAGE_ARGS) and did not carry out the call: it could not decode them,"
        + " or its implementation found them invalid. The call may be sent again, but these"
        + " arguments will be refused again (are client and server built from the same IDL?)",
        e.getMessage());
  }

  @Test
  void systemErr() {
    RpcException e = from(ReplyHeader.accepted(XID, RpcStatus.SYSTEM_ERR), ADD_V1);
    assertEquals("server failed Calculator.add (program 0x20000101 version 1 procedure 2)"
        + " with a system error; it may have run",
        e.getMessage());
  }

  @Test
  void rpcMismatchNamesTheRpcVersionsTheServerSpeaks() {
    RpcException e = from(ReplyHeader.rpcMismatch(XID, 3, 4), ADD_V1);
    assertEquals("ONC RPC version 2 not available: server speaks 3..4 (calling Calculator.add)",
        e.getMessage());
    assertEquals(3, e.low());
    assertEquals(4, e.high());
  }

  @Test
  void rpcMismatchOfOneRpcVersionSaysItIsTheOnlyOne() {
    RpcException e = from(ReplyHeader.rpcMismatch(XID, 3, 3), ADD_V1);
    assertEquals("ONC RPC version 2 not available: server speaks version 3 only (calling Calculator.add)",
        e.getMessage());
  }

  /**
   * A C server's svcerr_weakauth (an AUTH_NONE call to a procedure that wants AUTH_SYS) gets this
   * too. Before, the hint named only TLS and certificates, which no libtirpc server asks for.
   */
  @Test
  void anAuthErrorNeedsAReason() {
    assertThrows(IllegalArgumentException.class,
        () -> RpcException.authError(AuthStatus.AUTH_OK, "refused"));
    assertThrows(IllegalArgumentException.class, () -> ReplyHeader.authError(XID, AuthStatus.AUTH_OK));
  }

  @Test
  void authErrorNamesTheReason() {
    RpcException e = from(ReplyHeader.authError(XID, AuthStatus.AUTH_TOOWEAK), ADD_V1);
    assertEquals("server refused the credentials of Calculator.add"
        + " (program 0x20000101 version 1 procedure 2): AUTH_TOOWEAK (the server wants stronger"
        + " security: AUTH_SYS rather than AUTH_NONE, TLS, or a client certificate it accepts)",
        e.getMessage());
    assertEquals(AuthStatus.AUTH_TOOWEAK, e.authStatus());
    assertEquals(0, e.low());
    assertEquals(0, e.high());
  }

  @Test
  void tooWeakToACallWithCredentialsDoesNotSuggestAuthSys() {
    ReplyHeader reply = ReplyHeader.authError(XID, AuthStatus.AUTH_TOOWEAK);
    assertEquals("server refused the credentials of Calculator.add"
        + " (program 0x20000101 version 1 procedure 2): AUTH_TOOWEAK (the server wants stronger"
        + " security than this call's AUTH_SYS credentials: other credentials, TLS, or a client"
        + " certificate it accepts)",
        RpcException.fromReply(reply, ADD_V1, OpaqueAuth.AUTH_SYS).getMessage());
    assertEquals(from(reply, ADD_V1).getMessage(),
        RpcException.fromReply(reply, ADD_V1, OpaqueAuth.AUTH_NONE).getMessage());
    assertTrue(RpcException.fromReply(reply, ADD_V1, 6).getMessage()
        .contains("than this call's flavor 6 credentials"));
  }

  /** A call that came over TLS is not told to use TLS; one with a certificate, not to get one. */
  @Test
  void tooWeakOverTlsSuggestsOnlyWhatTheCallLacked() {
    ReplyHeader reply = ReplyHeader.authError(XID, AuthStatus.AUTH_TOOWEAK);
    String prefix = "server refused the credentials of Calculator.add"
        + " (program 0x20000101 version 1 procedure 2): AUTH_TOOWEAK (the server wants stronger security";
    assertEquals(prefix + " than AUTH_NONE over TLS without a client certificate: a client certificate"
        + " it accepts, or AUTH_SYS rather than AUTH_NONE)",
        RpcException.fromReply(reply, ADD_V1, OpaqueAuth.AUTH_NONE, true, false).getMessage());
    assertEquals(prefix + " than this call's AUTH_SYS credentials over TLS with this client's"
        + " certificate: other credentials, or another certificate it accepts)",
        RpcException.fromReply(reply, ADD_V1, OpaqueAuth.AUTH_SYS, true, true).getMessage());
    assertEquals(RpcException.fromReply(reply, ADD_V1, OpaqueAuth.AUTH_SYS).getMessage(),
        RpcException.fromReply(reply, ADD_V1, OpaqueAuth.AUTH_SYS, false, false).getMessage());
    assertFalse(RpcException.fromReply(reply, ADD_V1, OpaqueAuth.AUTH_NONE, true, true)
        .getMessage().contains("TLS,"));
  }

  @Test
  void aRejectedCredentialSaysTheServerDoesNotAdmitIt() {
    RpcException e = from(ReplyHeader.authError(XID, AuthStatus.AUTH_REJECTEDCRED), ADD_V1);
    assertEquals("server refused the credentials of Calculator.add (program 0x20000101 version 1"
        + " procedure 2): AUTH_REJECTEDCRED (the server does not admit these credentials to this call)",
        e.getMessage());
  }

  /** libtirpc's clnt_perror says "unknown authentication error - 99"; before, Onyx said AUTH_FAILED. */
  @Test
  void anAuthErrorOnyxDoesNotKnowShowsTheNumberSent() {
    RpcException e = from(ReplyHeader.authError(XID, 99), ADD_V1);
    assertEquals("server refused the credentials of Calculator.add (program 0x20000101 version 1"
        + " procedure 2): unknown authentication error - 99 (read as AUTH_FAILED)", e.getMessage());
    assertEquals(AuthStatus.AUTH_FAILED, e.authStatus());
    assertEquals(99, e.authStatValue());
    assertEquals(99, e.rethrownHere().authStatValue());
    RpcException known = from(ReplyHeader.authError(XID, AuthStatus.AUTH_FAILED), ADD_V1);
    assertTrue(known.getMessage().endsWith("procedure 2): AUTH_FAILED"), known.getMessage());
    assertEquals(7, known.authStatValue());
    assertEquals(5, RpcException.authError(AuthStatus.AUTH_TOOWEAK, "weak").authStatValue());
    assertEquals(0, new RpcException(RpcStatus.TIMEOUT, "no reply").authStatValue());
  }

  @Test
  void successIsNotAFailure() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RpcException.fromReply(ReplyHeader.accepted(XID, RpcStatus.SUCCESS), ADD_V1));
    assertEquals("SUCCESS is not a failed reply", e.getMessage());
  }

  @Test
  void localFailuresCarryStatusMessageAndCause() {
    IOException cause = new IOException("connection reset");
    RpcException e = new RpcException(RpcStatus.UNAVAILABLE, "lost the connection", cause);
    assertSame(RpcStatus.UNAVAILABLE, e.status());
    assertSame(cause, e.getCause());
    assertEquals(AuthStatus.AUTH_OK, e.authStatus());
    assertEquals("RpcException: UNAVAILABLE: lost the connection", e.toString());
    assertNull(new RpcException(RpcStatus.TIMEOUT, "no reply").getCause());
  }
}
