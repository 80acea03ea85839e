package org.onyxrpc.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.xdr.Bufs;
import org.onyxrpc.xdr.ConformanceVectors;
import org.onyxrpc.xdr.VectorCase;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Every call and reply line of {@code xdr-vectors.tsv}, written by {@link RpcMessages#writeCall}
 * and {@link RpcMessages#writeReply} and read back by {@link RpcMessages#readCall} and {@link
 * RpcMessages#readReply}, byte for byte.
 */
class RpcVectorsTest {
  private static final int XID = 0x11223344;
  private static final int PROG = 0x20000101;
  private static final AuthSys CLIENT1 =
      new AuthSys(1700000000, "client1", 1000, 100, new int[] {10, 20});

  static final XdrCodec<CallHeader> CALL =
      XdrCodecs.of(RpcMessages::writeCall, RpcMessages::readCall);
  static final XdrCodec<ReplyHeader> REPLY =
      XdrCodecs.of(RpcMessages::writeReply, RpcMessages::readReply);

  /** A successful reply with an int result behind the header. */
  record IntReply(ReplyHeader header, int result) {}

  static final XdrCodec<IntReply> INT_REPLY = XdrCodecs.of(
      (out, r) -> {
        RpcMessages.writeReply(out, r.header());
        out.writeInt(r.result());
      },
      in -> new IntReply(RpcMessages.readReply(in), in.readInt()));

  private static final Map<String, VectorCase<?>> CASES = new LinkedHashMap<>();

  private static <T> void vector(String name, XdrCodec<T> codec, T value) {
    CASES.put(name, new VectorCase<>(codec, value));
  }

  private static void reply(String what, ReplyHeader header) {
    vector("reply xid=0x11223344 " + what, REPLY, header);
  }

  static {
    vector("call header xid=0x11223344 prog=0x20000101 vers=1 proc=1 AUTH_NONE", CALL,
        CallHeader.of(XID, PROG, 1, 1, OpaqueAuth.NONE));
    vector("call header xid=0x11223344 prog=0x20000101 vers=1 proc=1 AUTH_SYS stamp=1700000000"
        + " machine=client1 uid=1000 gid=100 gids=[10,20]", CALL,
        CallHeader.of(XID, PROG, 1, 1, CLIENT1.toOpaqueAuth()));
    vector("reply xid=0x11223344 accepted SUCCESS result int 5", INT_REPLY,
        new IntReply(ReplyHeader.accepted(XID, RpcStatus.SUCCESS), 5));
    reply("accepted PROG_UNAVAIL", ReplyHeader.accepted(XID, RpcStatus.PROG_UNAVAIL));
    reply("accepted PROG_MISMATCH low=1 high=3", ReplyHeader.progMismatch(XID, 1, 3));
    reply("accepted PROC_UNAVAIL", ReplyHeader.accepted(XID, RpcStatus.PROC_UNAVAIL));
    reply("accepted GARBAGE_ARGS", ReplyHeader.accepted(XID, RpcStatus.GARBAGE_ARGS));
    reply("accepted SYSTEM_ERR", ReplyHeader.accepted(XID, RpcStatus.SYSTEM_ERR));
    reply("denied RPC_MISMATCH low=2 high=2", ReplyHeader.rpcMismatch(XID, 2, 2));
    reply("denied AUTH_ERROR AUTH_BADCRED", ReplyHeader.authError(XID, AuthStatus.AUTH_BADCRED));
    reply("denied AUTH_ERROR AUTH_TOOWEAK", ReplyHeader.authError(XID, AuthStatus.AUTH_TOOWEAK));
  }

  @TestFactory
  Stream<DynamicTest> everyMessageLineEncodesAndDecodesExactly() {
    return ConformanceVectors.tests(ConformanceVectors::isRpcMessage, CASES);
  }

  @Test
  void casesAndLinesNameTheSameVectors() {
    ConformanceVectors.assertCasesMatchLines(ConformanceVectors::isRpcMessage, CASES);
  }

  @Test
  void authSysVectorDecodesToTheCredentialsSent() {
    String hex = ConformanceVectors.select(name -> name.contains("AUTH_SYS")).get(0).hex();
    CallHeader call = Bufs.decodeAll(CALL, hex);
    assertEquals(CLIENT1, Credentials.of(call.credential()));
    assertEquals(OpaqueAuth.NONE, call.verifier());
    assertEquals(RpcMessages.RPC_VERSION, call.rpcVersion());
  }

  @Test
  void successHeaderWriterMatchesTheSuccessVector() {
    String hex = ConformanceVectors.select(name -> name.contains("SUCCESS")).get(0).hex();
    assertEquals(hex, Bufs.writeHex(out -> {
      RpcMessages.writeSuccessHeader(out, XID);
      out.writeInt(5);
    }));
  }
}
