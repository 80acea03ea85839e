package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.internal.rpc.ReplyTag;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;
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
  private ServerSocket listener;

  @AfterEach
  void stop() throws IOException {
    listener.close();
  }

  private int serve(Kind kind) throws IOException {
    listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    OpaqueAuth tag = switch (kind) {
      case PLAIN -> OpaqueAuth.NONE;
      case ONYX_BEFORE_METADATA -> new ReplyTag(42, false, false).toVerifier();
      case ONYX -> new ReplyTag(42, false, true).toVerifier();
    };
    Thread t = new Thread(() -> answer(tag), "fake-server");
    t.setDaemon(true);
    t.start();
    return listener.getLocalPort();
  }

  private void answer(OpaqueAuth tag) {
    try (Socket s = listener.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
      OutputStream out = s.getOutputStream();
      while (true) {
        byte[] record = new byte[in.readInt() & 0x7FFF_FFFF];
        in.readFully(record);
        CallHeader call = RpcMessages.readCall(new XdrReader(Unpooled.wrappedBuffer(record)));
        if (call.procedure() != 0) {
          verifiers.add(call.verifier());
        }
        ByteBuf reply = Unpooled.buffer();
        reply.writeInt(0);
        RpcMessages.writeReply(new XdrWriter(reply), ReplyHeader.accepted(call.xid(), RpcStatus.SUCCESS, tag));
        reply.setInt(0, 0x8000_0000 | (reply.readableBytes() - 4));
        out.write(reply.array(), reply.arrayOffset(), reply.readableBytes());
        out.flush();
      }
    } catch (IOException e) {
      // the test is over
    }
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
