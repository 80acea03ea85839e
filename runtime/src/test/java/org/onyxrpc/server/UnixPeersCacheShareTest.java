package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.internal.rpc.RpcMessages;
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
 * A user of the Unix-domain socket holds at most half of the duplicate request cache, as an IP
 * address does: client ids and xids are the caller's to choose, and any local user may connect.
 * Before, its entries counted in no share, so a local process that sent at-most-once calls under
 * a thousand client ids flushed every other client's saved replies, and their retransmissions
 * were told "outcome unknown" (SYSTEM_ERR) instead of being answered.
 */
class UnixPeersCacheShareTest {
  private static final int PROGRAM = 0x20000a12;
  private static final Procedure<Integer, Integer> COUNT = new Procedure<>(PROGRAM, 1, 1,
      "Share.count", XdrCodecs.INT, XdrCodecs.INT, CallSemantics.AT_MOST_ONCE);

  @TempDir Path work;
  private final AtomicInteger runs = new AtomicInteger();
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .unixSocket(work.resolve("share.sock"))
        .transports(Transport.TCP, Transport.UNIX)
        .directory(Directory.none())
        .duplicateRequestCache(16, 1 << 20, Duration.ofMinutes(5))
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(COUNT, (n, ctx) -> runs.incrementAndGet())
            .build())
        .build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] call(int xid, long client, int attempt) {
    ByteBuf buf = Unpooled.buffer();
    CallTag tag = new CallTag(client, client, true, attempt, 0);
    RpcMessages.writeCall(new XdrWriter(buf),
        new CallHeader(xid, 2, PROGRAM, 1, COUNT.number(), OpaqueAuth.NONE, tag.toVerifier()));
    XdrCodecs.INT.encode(new XdrWriter(buf), xid);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  private static ReplyHeader header(byte[] reply) {
    return RpcMessages.readReply(new XdrReader(Unpooled.wrappedBuffer(reply)));
  }

  @Test
  void aLocalUserFloodingTheCacheFlushesItsOwnRepliesNotATcpClients() throws Exception {
    try (RawTcpPeer polite = new RawTcpPeer(server.port())) {
      polite.sendRecord(call(1, 7, 1));
      assertEquals(RpcStatus.SUCCESS, header(polite.readRecord()).status());
    }
    try (SocketChannel flood = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      flood.connect(UnixDomainSocketAddress.of(work.resolve("share.sock")));
      for (int client = 100; client < 1100; client++) { // a thousand client ids, one user
        send(flood, call(1, client, 1));
        assertEquals(RpcStatus.SUCCESS, header(read(flood)).status());
      }
    }
    assertEquals(1001, runs.get());
    // The TCP client's retransmission, over a new connection: its saved reply, not run again.
    try (RawTcpPeer polite = new RawTcpPeer(server.port())) {
      polite.sendRecord(call(1, 7, 2));
      assertEquals(RpcStatus.SUCCESS, header(polite.readRecord()).status());
    }
    assertEquals(1001, runs.get());
    assertEquals(0, server.stats().outcomeUnknownReplies());
  }

  private static void send(SocketChannel channel, byte[] message) throws IOException {
    ByteBuffer record = ByteBuffer.allocate(4 + message.length)
        .putInt(0x80000000 | message.length).put(message).flip(); // RFC 5531 §11: last fragment
    while (record.hasRemaining()) {
      channel.write(record);
    }
  }

  private static byte[] read(SocketChannel channel) throws IOException {
    ByteBuffer mark = readFully(channel, 4);
    return readFully(channel, mark.getInt() & 0x7fffffff).array();
  }

  private static ByteBuffer readFully(SocketChannel channel, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (channel.read(buf) < 0) {
        throw new IOException("closed after " + buf.position() + " of " + length + " bytes");
      }
    }
    return buf.flip();
  }
}
