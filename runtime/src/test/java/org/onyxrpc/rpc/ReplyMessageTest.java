package org.onyxrpc.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.xdr.Bufs;
import org.onyxrpc.xdr.XdrException;

/** {@link RpcMessages}' reply side and {@link ReplyHeader} beyond the reference vectors. */
class ReplyMessageTest {
  @ParameterizedTest
  @EnumSource(value = RpcStatus.class, names = {"SUCCESS", "PROG_UNAVAIL", "PROC_UNAVAIL",
      "GARBAGE_ARGS", "SYSTEM_ERR"})
  void acceptedStatusesRoundTrip(RpcStatus status) {
    ReplyHeader reply = ReplyHeader.accepted(-1, status);
    assertEquals(reply, Bufs.roundTrip(RpcVectorsTest.REPLY, reply));
  }

  @ParameterizedTest
  @EnumSource(value = AuthStatus.class, names = "AUTH_OK", mode = EnumSource.Mode.EXCLUDE)
  void everyAuthStatusRoundTrips(AuthStatus reason) {
    ReplyHeader reply = ReplyHeader.authError(9, reason);
    assertEquals(reply, Bufs.roundTrip(RpcVectorsTest.REPLY, reply));
  }

  @Test
  void mismatchRangesKeepUnsignedBits() {
    ReplyHeader prog = ReplyHeader.progMismatch(1, 0, -1);
    assertEquals(prog, Bufs.roundTrip(RpcVectorsTest.REPLY, prog));
    ReplyHeader rpc = ReplyHeader.rpcMismatch(1, 2, 0x80000000);
    assertEquals(rpc, Bufs.roundTrip(RpcVectorsTest.REPLY, rpc));
  }

  @Test
  void serverVerifierIsKept() {
    OpaqueAuth verifier = new OpaqueAuth(OpaqueAuth.AUTH_SHORT, new byte[] {1, 2, 3, 4, 5, 6});
    ReplyHeader reply = new ReplyHeader(3, RpcStatus.SUCCESS, verifier, 0, 0, AuthStatus.AUTH_OK);
    assertEquals(reply, Bufs.roundTrip(RpcVectorsTest.REPLY, reply));
  }

  @Test
  void localStatusesCannotBeReplies() {
    for (RpcStatus status : EnumSet.range(RpcStatus.TIMEOUT, RpcStatus.INTERNAL)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ReplyHeader.accepted(1, status));
      assertEquals(status + " is not a reply status", e.getMessage());
    }
  }

  @Test
  void factoriesFillTheUnusedFields() {
    assertEquals(new ReplyHeader(1, RpcStatus.PROG_MISMATCH, OpaqueAuth.NONE, 2, 3,
        AuthStatus.AUTH_OK), ReplyHeader.progMismatch(1, 2, 3));
    assertEquals(new ReplyHeader(1, RpcStatus.RPC_MISMATCH, OpaqueAuth.NONE, 2, 2,
        AuthStatus.AUTH_OK), ReplyHeader.rpcMismatch(1, 2, 2));
    assertEquals(new ReplyHeader(1, RpcStatus.AUTH_ERROR, OpaqueAuth.NONE, 0, 0,
        AuthStatus.AUTH_BADVERF), ReplyHeader.authError(1, AuthStatus.AUTH_BADVERF));
  }

  @Test
  void readerIsLeftAtTheResults() {
    Bufs.read("11223344000000010000000000000000000000000000000000000005", in -> {
      ReplyHeader reply = RpcMessages.readReply(in);
      assertEquals(ReplyHeader.accepted(0x11223344, RpcStatus.SUCCESS), reply);
      assertEquals(5, in.readInt());
      return null;
    });
  }

  @Test
  void unknownAuthStatusReadsAsAuthFailed() {
    ReplyHeader reply = Bufs.decodeAll(RpcVectorsTest.REPLY, "11223344000000010000000100000001000000ff");
    assertEquals(AuthStatus.AUTH_FAILED, reply.authStatus());
    assertEquals(255, reply.authStatValue(), "the number sent, kept");
  }

  @Test
  void aKnownReasonKeepsItsOwnNumber() {
    ReplyHeader reply = Bufs.decodeAll(RpcVectorsTest.REPLY, "1122334400000001000000010000000100000007");
    assertEquals(ReplyHeader.authError(0x11223344, AuthStatus.AUTH_FAILED), reply);
    assertEquals(7, reply.authStatValue());
  }

  @Test
  void anAuthStatNumberMustBeItsReasonsOrOneOnyxDoesNotKnow() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReplyHeader(
        1, RpcStatus.AUTH_ERROR, OpaqueAuth.NONE, 0, 0, AuthStatus.AUTH_FAILED, 5));
    assertEquals("auth_stat 5 is not AUTH_FAILED in a AUTH_ERROR reply", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ReplyHeader(
        1, RpcStatus.AUTH_ERROR, OpaqueAuth.NONE, 0, 0, AuthStatus.AUTH_BADCRED, 99));
    assertThrows(IllegalArgumentException.class, () -> new ReplyHeader(
        1, RpcStatus.SYSTEM_ERR, OpaqueAuth.NONE, 0, 0, AuthStatus.AUTH_FAILED, 99));
    assertEquals(99, new ReplyHeader(
        1, RpcStatus.AUTH_ERROR, OpaqueAuth.NONE, 0, 0, AuthStatus.AUTH_FAILED, 99).authStatValue());
  }

  @Test
  void authOkInADeniedReplyReadsAsAuthFailed() {
    // Success is no reason to refuse; AUTH_OK stays what RpcException gives a failure that is
    // not AUTH_ERROR.
    ReplyHeader reply = Bufs.decodeAll(RpcVectorsTest.REPLY, "1122334400000001000000010000000100000000");
    assertEquals(AuthStatus.AUTH_FAILED, reply.authStatus());
    assertEquals(0, reply.authStatValue());
  }

  @Test
  void aCallIsNotAReply() {
    XdrException e = assertThrows(XdrException.class,
        () -> Bufs.decodeAll(RpcVectorsTest.REPLY, "1122334400000000"));
    assertEquals("expected a reply message, got msg_type 0", e.getMessage());
  }

  @Test
  void unknownReplyStatIsRejected() {
    XdrException e = assertThrows(XdrException.class,
        () -> Bufs.decodeAll(RpcVectorsTest.REPLY, "112233440000000100000002"));
    assertEquals("unknown reply_stat 2", e.getMessage());
  }

  @Test
  void unknownAcceptStatIsRejected() {
    XdrException e = assertThrows(XdrException.class, () -> Bufs.decodeAll(
        RpcVectorsTest.REPLY, "112233440000000100000000000000000000000000000006"));
    assertEquals("unknown accept_stat 6", e.getMessage());
    assertThrows(XdrException.class, () -> Bufs.decodeAll(
        RpcVectorsTest.REPLY, "1122334400000001000000000000000000000000ffffffff"));
  }

  @Test
  void unknownRejectStatIsRejected() {
    XdrException e = assertThrows(XdrException.class, () -> Bufs.decodeAll(
        RpcVectorsTest.REPLY, "112233440000000100000001000000020000000100000001"));
    assertEquals("unknown reject_stat 2", e.getMessage());
  }

  @Test
  void everyTruncationIsAnXdrException() {
    String[] replies = {
      "1122334400000001000000000000000000000000000000020000000100000003",
      "112233440000000100000001000000000000000200000002",
      "1122334400000001000000010000000100000005",
    };
    for (String hex : replies) {
      byte[] bytes = ByteBufUtil.decodeHexDump(hex);
      for (int length = 0; length < bytes.length; length++) {
        byte[] prefix = Arrays.copyOf(bytes, length);
        assertThrows(XdrException.class, () -> Bufs.read(prefix, RpcMessages::readReply));
      }
    }
  }
}
