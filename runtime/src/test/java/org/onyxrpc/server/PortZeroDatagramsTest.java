package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * A datagram from source port 0 comes only from a raw socket (a forged source, say): no reply
 * can reach it, as the kernel refuses to send one there (EINVAL). It is dropped and counted, not
 * run: before, its call ran for nobody, and the failed reply was a WARN "UDP socket error"
 * naming no peer, which also kept the socket's real errors out of the log for its interval.
 * Raw sockets need privileges a test does not have, so the datagram is handed to the server's
 * UDP handler in an embedded channel.
 */
class PortZeroDatagramsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void aCallFromPortZeroIsDroppedNotRun() throws Exception {
    TestService service = new TestService();
    try (RpcServer server = RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.UDP)
        .directory(Directory.none()).directExecutor().addService(service.definition())
        .build().start()) {
      EmbeddedChannel channel = new EmbeddedChannel(server.udpEndpoint().newSocket());
      InetSocketAddress recipient = new InetSocketAddress(LOOPBACK, server.port());

      channel.writeInbound(datagram(1, recipient, new InetSocketAddress(LOOPBACK, 0)));
      assertNull(channel.readOutbound(), "no reply to port 0");
      assertEquals(1, server.stats().droppedDatagrams());
      assertEquals(0, server.stats().calls());

      // The same call from a port a reply can reach is answered, through the same handler.
      channel.writeInbound(datagram(2, recipient, new InetSocketAddress(LOOPBACK, 4242)));
      DatagramPacket reply = channel.readOutbound();
      try {
        assertEquals(4242, reply.recipient().getPort());
        assertEquals(2, reply.content().getInt(0), "its xid");
      } finally {
        reply.release();
      }
      assertEquals(1, server.stats().calls());
      assertEquals(1, server.stats().droppedDatagrams());
      channel.finishAndReleaseAll();
    }
  }

  private static DatagramPacket datagram(int xid, InetSocketAddress recipient,
      InetSocketAddress sender) {
    byte[] args = ByteBuffer.allocate(8).putInt(2).putInt(3).array();
    byte[] call = RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, TestService.ADD.number(),
        OpaqueAuth.NONE, args);
    return new DatagramPacket(Unpooled.wrappedBuffer(call), recipient, sender);
  }
}
