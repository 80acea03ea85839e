package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.internal.rpc.ReplyTag;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.ScriptedTcpServer;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Metadata goes only to a server that said it reads it: a server that knows no tags (as C
 * servers) gets untagged calls, an Onyx server from before metadata gets its 36-byte tag, and a
 * current one gets the metadata, on retransmitting and one-shot calls alike.
 */
class MetadataOnTheWireTest {
  private static final Procedure<Void, Void> ONCE =
      new Procedure<>(0x20000777, 1, 1, "Fake.once", XdrCodecs.VOID, XdrCodecs.VOID);
  private static final Procedure<Void, Void> MAYBE = ONCE.withSemantics(CallSemantics.MAYBE);

  /** What a fake server puts in its replies' verifiers. */
  private enum Kind { PLAIN, ONYX_BEFORE_METADATA, ONYX }

  /** The verifier of each call other than NULL pings, in arrival order. */
  private final List<OpaqueAuth> verifiers = new CopyOnWriteArrayList<>();
  private ScriptedTcpServer server;

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private int serve(Kind kind) throws IOException {
    OpaqueAuth tag = switch (kind) {
      case PLAIN -> OpaqueAuth.NONE;
      case ONYX_BEFORE_METADATA -> new ReplyTag(42, false, false).toVerifier();
      case ONYX -> new ReplyTag(42, false, true).toVerifier();
    };
    server = new ScriptedTcpServer("fake-server", (call, reply, raw) -> {
      if (call.procedure() != 0) {
        verifiers.add(call.verifier());
      }
      RpcMessages.writeReply(new XdrWriter(reply), ReplyHeader.accepted(call.xid(), RpcStatus.SUCCESS, tag));
    });
    return server.port();
  }

  private RpcClient client(int port) {
    return RpcClient.builder().address("127.0.0.1", port)
        .intercept(call -> call.metadata().put("traceparent", "00-1-2-01")).build();
  }

  @Test
  void aServerWithoutTagsGetsNoMetadata() throws Exception {
    try (RpcClient client = client(serve(Kind.PLAIN))) {
      client.call(ONCE, null);
      client.call(MAYBE, null);
      assertEquals(List.of(OpaqueAuth.NONE, OpaqueAuth.NONE), verifiers);
    }
  }

  @Test
  void anOnyxServerFromBeforeMetadataGetsTheOriginalTag() throws Exception {
    try (RpcClient client = client(serve(Kind.ONYX_BEFORE_METADATA))) {
      client.call(ONCE, null);
      client.call(MAYBE, null);
      assertEquals(36, verifiers.get(0).body().length);
      assertNull(CallTag.of(verifiers.get(0)).metadata());
      assertEquals(OpaqueAuth.NONE, verifiers.get(1)); // a one-shot call needs no tag of its own
    }
  }

  /**
   * The first one-shot call with metadata goes untagged and asks (a NULL ping, ahead of it on
   * the connection); its reply follows the ping's, so the next call knows and carries metadata.
   */
  @Test
  void aClientOfOneShotCallsOnlyLearnsFromItsFirstCall() throws Exception {
    try (RpcClient client = client(serve(Kind.ONYX))) {
      client.call(MAYBE, null);
      client.call(MAYBE, null);
      assertEquals(OpaqueAuth.NONE, verifiers.get(0));
      assertEquals("00-1-2-01", CallTag.of(verifiers.get(1)).metadata().get("traceparent"));
    }
  }

  @Test
  void aCurrentServerGetsTheMetadata() throws Exception {
    try (RpcClient client = client(serve(Kind.ONYX))) {
      client.call(ONCE, null);
      client.call(MAYBE, null);
      assertEquals("00-1-2-01", CallTag.of(verifiers.get(0)).metadata().get("traceparent"));
      CallTag oneShot = CallTag.of(verifiers.get(1));
      assertEquals("00-1-2-01", oneShot.metadata().get("traceparent"));
      assertEquals(false, oneShot.atMostOnce());
    }
  }
}
