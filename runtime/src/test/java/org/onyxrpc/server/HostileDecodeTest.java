package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Arguments that fail to decode in every way a decoder can fail (a value type's refusal, a
 * stack overflow, data nested too deep) are GARBAGE_ARGS and give back what they took: the
 * server keeps serving over TCP and UDP, and shuts down at once.
 */
@ExtendWith(LeakDetection.class)
class HostileDecodeTest {
  private static final int PROGRAM = 0x20000201;
  private static final int IN_FLIGHT = 4;

  /** A value type that refuses some of what the wire allows, as ServiceInstance does. */
  record Picky(int value) {
    Picky {
      if (value < 0) {
        throw new IllegalArgumentException("negative: " + value);
      }
    }

    static final XdrCodec<Picky> CODEC = XdrCodecs.of(
        (out, p) -> out.writeInt(p.value()), in -> new Picky(in.readInt()));
  }

  /** A recursive type, read as generated code reads it: nested values through readOptional. */
  record Tree(Tree left, Tree right) {
    static final XdrCodec<Tree> CODEC = new XdrCodec<>() {
      @Override
      public void encode(XdrWriter out, Tree value) {
        out.writeOptional(value.left(), this);
        out.writeOptional(value.right(), this);
      }

      @Override
      public Tree decode(XdrReader in) {
        return new Tree(in.readOptional(this), in.readOptional(this));
      }
    };

    int depth() {
      int d = 0;
      for (Tree t = this; t != null; t = t.left()) {
        d++;
      }
      return d;
    }
  }

  /** A linked list read in a loop, as generated code reads one: no nesting at all. */
  static final XdrCodec<Integer> LIST_LENGTH = XdrCodecs.of((out, v) -> { }, in -> {
    int n = 0;
    while (in.readOptionalFlag()) {
      in.readInt();
      n++;
    }
    return n;
  });

  static final Procedure<Picky, Integer> PICKY =
      new Procedure<>(PROGRAM, 1, 1, "Hostile.picky", Picky.CODEC, XdrCodecs.INT);
  static final Procedure<Void, Void> OVERFLOW = new Procedure<>(PROGRAM, 1, 2, "Hostile.overflow",
      XdrCodecs.of((out, v) -> { }, in -> {
        throw new StackOverflowError();
      }), XdrCodecs.VOID);
  static final Procedure<Tree, Integer> TREE =
      new Procedure<>(PROGRAM, 1, 3, "Hostile.tree", Tree.CODEC, XdrCodecs.INT);
  static final Procedure<Integer, Integer> LIST =
      new Procedure<>(PROGRAM, 1, 4, "Hostile.list", LIST_LENGTH, XdrCodecs.INT);

  /** The exceptions the server's reader threw at {@link #SEEN}'s codec, as it read them. */
  private final java.util.Queue<XdrException> seen = new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** Two ints, read by a codec that keeps what the server's reader throws at it. */
  private Procedure<Integer, Integer> seen() {
    return new Procedure<>(PROGRAM, 1, 5, "Hostile.seen", XdrCodecs.of((out, v) -> { }, in -> {
      try {
        return in.readInt() + in.readInt();
      } catch (XdrException e) {
        seen.add(e);
        throw e;
      }
    }), XdrCodecs.INT);
  }

  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestTransport.server()
        .maxConcurrentCallsPerConnection(IN_FLIGHT)
        .maxRecordBytes(4 << 20)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(PICKY, (p, ctx) -> p.value())
            .procedure(OVERFLOW, (v, ctx) -> null)
            .procedure(TREE, (t, ctx) -> t.depth())
            .procedure(LIST, (n, ctx) -> n)
            .procedure(seen(), (n, ctx) -> n)
            .build())
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    assertTrue(server.shutdown(Duration.ofSeconds(5)), "nothing is left in flight");
  }

  private static byte[] call(int xid, int procedure, byte[] args) {
    return RawTcpPeer.call(xid, 2, PROGRAM, 1, procedure, OpaqueAuth.NONE, args);
  }

  private static byte[] bytes(ByteBuf buf) {
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    return bytes;
  }

  /** A tree leaning left, {@code depth} levels deep, written without recursion. */
  static byte[] leftTree(int depth) {
    ByteBuf buf = Unpooled.buffer();
    for (int i = 1; i < depth; i++) {
      buf.writeInt(1); // a left child follows
    }
    for (int i = 0; i <= depth; i++) {
      buf.writeInt(0); // the innermost level's two missing children, then each right child
    }
    return bytes(buf);
  }

  static byte[] list(int length) {
    ByteBuf buf = Unpooled.buffer();
    for (int i = 0; i < length; i++) {
      buf.writeInt(1).writeInt(i);
    }
    buf.writeInt(0);
    return bytes(buf);
  }

  private static final byte[] NEGATIVE = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

  @Test
  void valueTypeRefusalAndStackOverflowAreGarbageArgsOverTcp() throws Exception {
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      for (int xid = 1; xid <= 4 * IN_FLIGHT; xid++) {
        peer.sendRecord(call(xid, xid % 2 == 0 ? 1 : 2, NEGATIVE));
        assertEquals(ReplyHeader.accepted(xid, RpcStatus.GARBAGE_ARGS), peer.readReply());
      }
      peer.sendRecord(call(99, 1, new byte[] {0, 0, 0, 7}));
      assertEquals(ReplyHeader.accepted(99, RpcStatus.SUCCESS), peer.readReply());
    }
  }

  @Test
  void valueTypeRefusalsDoNotTurnUdpOff() throws Exception {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(5_000);
      InetAddress loopback = InetAddress.getLoopbackAddress();
      for (int xid = 1; xid <= 32 * IN_FLIGHT; xid++) {
        byte[] call = call(xid, xid % 2 == 0 ? 1 : 2, NEGATIVE);
        socket.send(new DatagramPacket(call, call.length, loopback, server.port()));
        DatagramPacket reply = new DatagramPacket(new byte[600], 600);
        socket.receive(reply);
        assertEquals(ReplyHeader.accepted(xid, RpcStatus.GARBAGE_ARGS), RpcMessages.readReply(
            new XdrReader(Unpooled.wrappedBuffer(reply.getData(), 0, reply.getLength()))));
      }
    }
    try (RpcClient udp = RpcClient.builder().address("127.0.0.1", server.port())
        .transport(Transport.UDP).build()) {
      assertEquals(5, udp.call(PICKY, new Picky(5)));
    }
  }

  @Test
  void dataNestedBeyondTheDepthLimitIsGarbageArgs() throws Exception {
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      peer.sendRecord(call(1, 3, leftTree(XdrLimits.DEFAULT_MAX_DEPTH)));
      byte[] reply = peer.readRecord();
      assertEquals(XdrLimits.DEFAULT_MAX_DEPTH, java.nio.ByteBuffer.wrap(reply, reply.length - 4, 4).getInt());
      peer.sendRecord(call(2, 3, leftTree(XdrLimits.DEFAULT_MAX_DEPTH + 2)));
      assertEquals(ReplyHeader.accepted(2, RpcStatus.GARBAGE_ARGS), peer.readReply());
      // Deep enough to overflow any thread's stack without the limit.
      peer.sendRecord(call(3, 3, leftTree(500_000)));
      assertEquals(ReplyHeader.accepted(3, RpcStatus.GARBAGE_ARGS), peer.readReply());
    }
  }

  @Test
  void deepTreeOverUdpIsGarbageArgs() throws Exception {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(5_000);
      byte[] call = call(7, 3, leftTree(8_000));
      socket.send(new DatagramPacket(call, call.length, InetAddress.getLoopbackAddress(), server.port()));
      DatagramPacket reply = new DatagramPacket(new byte[600], 600);
      socket.receive(reply);
      assertEquals(ReplyHeader.accepted(7, RpcStatus.GARBAGE_ARGS), RpcMessages.readReply(
          new XdrReader(Unpooled.wrappedBuffer(reply.getData(), 0, reply.getLength()))));
    }
  }

  @Test
  void linkedListsAreNotBoundedByTheDepthLimit() throws Exception {
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      peer.timeout(60_000); // 100,000 nodes each way: seconds on a loaded machine, not an error
      peer.sendRecord(call(1, 4, list(100_000)));
      byte[] reply = peer.readRecord();
      assertEquals(100_000, java.nio.ByteBuffer.wrap(reply, reply.length - 4, 4).getInt());
    }
  }

  /**
   * Fails before (the exception had 31 frames here): the server's reader throws without a stack
   * trace, whose filling in cost several times the rest of a GARBAGE_ARGS refusal, which a peer
   * may have the server make as fast as it sends calls.
   */
  @Test
  void garbageArgsAreRefusedWithoutAStackTrace() throws Exception {
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      peer.sendRecord(call(1, 5, new byte[4])); // one int of two
      assertEquals(ReplyHeader.accepted(1, RpcStatus.GARBAGE_ARGS), peer.readReply());
      XdrException e = seen.remove();
      assertEquals("int needs 4 bytes, only 0 left", e.getMessage());
      assertEquals(0, e.getStackTrace().length);
      peer.sendRecord(call(2, 5, new byte[] {0, 0, 0, 2, 0, 0, 0, 3}));
      assertEquals(5, java.nio.ByteBuffer.wrap(peer.readRecord(), 24, 4).getInt());
    }
  }
}
