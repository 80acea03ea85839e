package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A saved reply answers only a retransmission of its own call. A raw peer that knows another
 * client's id (sent in plaintext in every tagged call), or shares its address and port (an
 * untagged C client's key), and reuses one of its xids, gets neither that client's reply to its
 * own call (the reply to someone else's call, made under someone else's credential) nor, by
 * calling first, makes the real call be answered with its own saved reply: a call under another
 * credential, or with other arguments, is another call, and runs as one.
 */
class CachedRepliesMatchTheirCallsTest {
  private static final int PROGRAM = 0x20000a11;
  private static final Procedure<String, String> ECHO = new Procedure<>(PROGRAM, 1, 1,
      "Match.echo", XdrCodecs.STRING, XdrCodecs.STRING, CallSemantics.AT_MOST_ONCE);
  private static final Procedure<Void, String> WHO = new Procedure<>(PROGRAM, 1, 2,
      "Match.who", XdrCodecs.VOID, XdrCodecs.STRING, CallSemantics.AT_MOST_ONCE);
  private static final long VICTIM_HIGH = 0x1111;
  private static final long VICTIM_LOW = 0x2222;
  private static final OpaqueAuth ROOT =
      new AuthSys(7, "victim", 0, 0, new int[0]).toOpaqueAuth();
  private static final OpaqueAuth NOBODY =
      new AuthSys(7, "victim", 65534, 65534, new int[0]).toOpaqueAuth();

  private final AtomicInteger runs = new AtomicInteger();
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP, Transport.UDP).directory(Directory.none())
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(ECHO, (s, ctx) -> {
              runs.incrementAndGet();
              return s;
            })
            .procedure(WHO, (v, ctx) -> {
              runs.incrementAndGet();
              return ctx.credentials().toString();
            })
            .build())
        .build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] call(int xid, Procedure<?, ?> procedure, OpaqueAuth credential,
      CallTag tag, byte[] args) {
    ByteBuf buf = Unpooled.buffer();
    RpcMessages.writeCall(new XdrWriter(buf), new CallHeader(xid, 2, PROGRAM, 1,
        procedure.number(), credential, tag == null ? OpaqueAuth.NONE : tag.toVerifier()));
    buf.writeBytes(args);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  private static byte[] string(String s) {
    ByteBuf buf = Unpooled.buffer();
    XdrCodecs.STRING.encode(new XdrWriter(buf), s);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  private static CallTag victimTag(int attempt) {
    return new CallTag(VICTIM_HIGH, VICTIM_LOW, true, attempt, 0);
  }

  /** The string a successful reply carries. */
  private static String result(byte[] reply) {
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(reply));
    ReplyHeader header = RpcMessages.readReply(in);
    assertEquals(RpcStatus.SUCCESS, header.status());
    return XdrCodecs.STRING.decode(in);
  }

  private String askTcp(byte[] call) throws Exception {
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.sendRecord(call);
      return result(peer.readRecord());
    }
  }

  private static String askUdp(DatagramSocket socket, int port, byte[] call) throws Exception {
    socket.send(new DatagramPacket(call, call.length, InetAddress.getLoopbackAddress(), port));
    DatagramPacket reply = new DatagramPacket(new byte[65_536], 65_536);
    socket.receive(reply);
    byte[] bytes = new byte[reply.getLength()];
    System.arraycopy(reply.getData(), 0, bytes, 0, bytes.length);
    return result(bytes);
  }

  @Test
  void aTaggedCallUnderAnotherCredentialIsNotAnsweredWithTheVictimsReply() throws Exception {
    assertEquals("AUTH_SYS[victim uid=0 gid=0 gids=[]]",
        askTcp(call(5, WHO, ROOT, victimTag(1), new byte[0])));
    // Same client id, xid and procedure, no arguments to tell them apart: the credential does.
    // Claiming to retransmit, from an epoch the server cannot vouch for: outcome unknown (a
    // call the server has no entry for), not the victim's reply.
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.sendRecord(call(5, WHO, NOBODY, victimTag(2), new byte[0]));
      ReplyHeader header =
          RpcMessages.readReply(new XdrReader(Unpooled.wrappedBuffer(peer.readRecord())));
      assertEquals(RpcStatus.SYSTEM_ERR, header.status());
    }
    assertEquals(1, server.stats().outcomeUnknownReplies());
    // As a first transmission it runs, as the call it is.
    assertEquals("AUTH_SYS[victim uid=65534 gid=65534 gids=[]]",
        askTcp(call(5, WHO, NOBODY, victimTag(1), new byte[0])));
    assertEquals(2, runs.get());
    // The victim's own retransmission is still answered from the cache.
    assertEquals("AUTH_SYS[victim uid=0 gid=0 gids=[]]",
        askTcp(call(5, WHO, ROOT, victimTag(3), new byte[0])));
    assertEquals(2, runs.get());
    assertEquals(1, server.stats().duplicatesReplayed());
  }

  @Test
  void aTaggedCallWithOtherArgumentsIsNotAnsweredWithTheVictimsReply() throws Exception {
    assertEquals("secret", askTcp(call(6, ECHO, ROOT, victimTag(1), string("secret"))));
    assertEquals("guess", askTcp(call(6, ECHO, ROOT, victimTag(1), string("guess"))));
    assertEquals(2, runs.get());
  }

  @Test
  void aTaggedCallSentFirstWithTheNextXidDoesNotAnswerTheRealOne() throws Exception {
    // The attacker guesses the victim's next xid and calls first, as the victim's client id.
    assertEquals("evil", askTcp(call(8, ECHO, NOBODY, victimTag(1), string("evil"))));
    assertEquals("good", askTcp(call(8, ECHO, ROOT, victimTag(1), string("good"))));
    assertEquals(2, runs.get());
    // Each one's retransmission gets its own reply, neither runs again.
    assertEquals("good", askTcp(call(8, ECHO, ROOT, victimTag(2), string("good"))));
    assertEquals("evil", askTcp(call(8, ECHO, NOBODY, victimTag(2), string("evil"))));
    assertEquals(2, runs.get());
  }

  @Test
  void anUntaggedUdpCallUnderAnotherCredentialFromTheSamePortRunsAsItsOwn() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.setSoTimeout(20_000);
      int port = server.port();
      // A C client's call, and one from its address and port (forged, or a process sharing the
      // socket) with its xid and arguments under another credential: another call.
      assertEquals("AUTH_SYS[victim uid=0 gid=0 gids=[]]",
          askUdp(socket, port, call(9, WHO, ROOT, null, new byte[0])));
      assertEquals("AUTH_SYS[victim uid=65534 gid=65534 gids=[]]",
          askUdp(socket, port, call(9, WHO, NOBODY, null, new byte[0])));
      assertEquals(2, runs.get());
      // The C client's retransmission: the saved reply, not a second run.
      assertEquals("AUTH_SYS[victim uid=0 gid=0 gids=[]]",
          askUdp(socket, port, call(9, WHO, ROOT, null, new byte[0])));
      assertEquals(2, runs.get());
    }
  }
}
