package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.internal.rpc.ReplyTag;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.ScriptedTcpServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Linux's kernel RPC client and server are strict about AUTH_NONE verifiers: its client fails a
 * reply whose verifier has a body ({@code nul_validate}, on the NULL ping it makes at mount time
 * too), its server refuses a call whose verifier has one ({@code AUTH_BADVERF}). Onyx's tags
 * live in that body, so a server tags only the replies to tagged calls, and a client's tagged
 * probe takes a kernel server's refusal as "no tags".
 */
class KernelRpcPeersTest {
  private static final Procedure<Void, Void> ONCE = new Procedure<>(0x20000779, 1, 1, "Kernel.once",
      XdrCodecs.VOID, XdrCodecs.VOID, CallSemantics.AT_MOST_ONCE);

  @Test
  void anUntaggedCallerGetsTheEmptyVerifierAndATaggedOneItsTag() throws Exception {
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .addService(new TestService().definition()).build().start();
        RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.sendRecord(RawTcpPeer.call(1, TestService.PROGRAM, 1, 0, OpaqueAuth.NONE, new byte[0]));
      ReplyHeader plain = peer.readReply();
      assertEquals(RpcStatus.SUCCESS, plain.status());
      assertEquals(OpaqueAuth.NONE, plain.verifier(), "the kernel client's NULL ping fails on a body");

      peer.sendRecord(RawTcpPeer.call(2, TestService.PROGRAM, 1, 0,
          new CallTag(1, 2, false, 1, 0).toVerifier(), new byte[0]));
      ReplyHeader tagged = peer.readReply();
      assertEquals(RpcStatus.SUCCESS, tagged.status());
      assertNotNull(ReplyTag.of(tagged.verifier()), "an Onyx client's probe learns the server's tag");
    }
  }

  @Test
  void aServerThatRefusesTaggedCallsIsCalledUntagged() throws Exception {
    List<OpaqueAuth> verifiers = new CopyOnWriteArrayList<>();
    try (ScriptedTcpServer kernel = new ScriptedTcpServer("kernel-like", (call, reply, raw) -> {
          verifiers.add(call.verifier());
          RpcMessages.writeReply(new XdrWriter(reply), call.verifier().body().length > 0
              ? ReplyHeader.authError(call.xid(), AuthStatus.AUTH_BADVERF)
              : ReplyHeader.accepted(call.xid(), RpcStatus.SUCCESS));
        });
        RpcClient client = RpcClient.builder().address("127.0.0.1", kernel.port()).build()) {
      client.call(ONCE, null);
      client.call(ONCE, null);
      assertEquals(3, verifiers.size(), "one probe, then the two calls: " + verifiers);
      assertNotNull(CallTag.of(verifiers.get(0)), "the probe asks with a tag");
      assertEquals(OpaqueAuth.NONE, verifiers.get(1));
      assertEquals(OpaqueAuth.NONE, verifiers.get(2));
      assertNull(CallTag.of(verifiers.get(2)));
    }
  }
}
