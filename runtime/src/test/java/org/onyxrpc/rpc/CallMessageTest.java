package org.onyxrpc.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.xdr.Bufs;
import org.onyxrpc.xdr.XdrException;

/** {@link RpcMessages}' call side beyond the reference vectors. */
class CallMessageTest {
  private static final String NONE_CALL =
      "11223344000000000000000220000101000000010000000100000000000000000000000000000000";

  @Test
  void ofFillsRpcVersionTwoAndANoneVerifier() {
    CallHeader call = CallHeader.of(1, 2, 3, 4, OpaqueAuth.NONE);
    assertEquals(new CallHeader(1, 2, 2, 3, 4, OpaqueAuth.NONE, OpaqueAuth.NONE), call);
    assertSame(OpaqueAuth.NONE, call.verifier());
  }

  @Test
  void readerIsLeftAtTheArguments() {
    Bufs.read(NONE_CALL + "0000002a", in -> {
      CallHeader call = RpcMessages.readCall(in);
      assertEquals(0x11223344, call.xid());
      assertEquals(42, in.readInt());
      return null;
    });
  }

  @Test
  void bodyCanBeReadAfterTheTransportPeekedTheXidAndType() {
    Bufs.read(NONE_CALL, in -> {
      int xid = in.readUnsignedInt();
      assertEquals(RpcMessages.CALL, in.readEnum());
      CallHeader call = RpcMessages.readCallBody(in, xid);
      assertEquals(CallHeader.of(0x11223344, 0x20000101, 1, 1, OpaqueAuth.NONE), call);
      assertEquals(0, in.remaining());
      return null;
    });
  }

  @Test
  void unsignedFieldsKeepTheirBitsAndOtherRpcVersionsAreReturnedAsSent() {
    CallHeader call = new CallHeader(-1, 3, 0x80000000, -1, -2, OpaqueAuth.NONE, OpaqueAuth.NONE);
    String hex = Bufs.writeHex(out -> RpcMessages.writeCall(out, call));
    assertEquals("ffffffff" + "00000000" + "00000003" + "80000000" + "ffffffff" + "fffffffe"
        + "0000000000000000" + "0000000000000000", hex);
    assertEquals(call, Bufs.decodeAll(RpcVectorsTest.CALL, hex));
  }

  @Test
  void otherFlavorsAndVerifiersTravelAsTheyAre() {
    OpaqueAuth gss = new OpaqueAuth(OpaqueAuth.RPCSEC_GSS, new byte[] {1, 2, 3, 4, 5});
    OpaqueAuth verifier = new OpaqueAuth(OpaqueAuth.AUTH_SHORT, new byte[] {9});
    CallHeader call = new CallHeader(5, 2, 100000, 2, 3, gss, verifier);
    assertEquals(call, Bufs.roundTrip(RpcVectorsTest.CALL, call));
  }

  @Test
  void aReplyIsNotACall() {
    XdrException e = assertThrows(XdrException.class,
        () -> Bufs.decodeAll(RpcVectorsTest.CALL, "1122334400000001"));
    assertEquals("expected a call message, got msg_type 1", e.getMessage());
  }

  @Test
  void credentialOverFourHundredBytesIsRejectedOnRead() {
    String header = "00000001" + "00000000" + "00000002" + "20000101" + "00000001" + "00000001";
    String credential = "00000001" + "00000191" + "00".repeat(404);
    XdrException e = assertThrows(XdrException.class,
        () -> Bufs.decodeAll(RpcVectorsTest.CALL, header + credential + "0000000000000000"));
    assertEquals("opaque length 401 bytes exceeds its maximum of 400 bytes", e.getMessage());
  }

  @Test
  void everyTruncationIsAnXdrException() {
    byte[] bytes = ByteBufUtil.decodeHexDump(NONE_CALL);
    for (int length = 0; length < bytes.length; length++) {
      byte[] prefix = Arrays.copyOf(bytes, length);
      assertThrows(XdrException.class, () -> Bufs.read(prefix, RpcMessages::readCall));
    }
  }
}
