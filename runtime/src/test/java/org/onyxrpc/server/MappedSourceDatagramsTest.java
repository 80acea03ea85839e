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
 * An IPv6 datagram whose source is an IPv4-mapped address ({@code ::ffff:127.0.0.1}) comes only
 * from a forger (RFC 4291 §2.5.5.2 keeps such addresses off the wire), yet Linux delivers one sent
 * by another host, and the JDK reports its source as the IPv4 address it maps: seen by hand from
 * a second network namespace over a veth pair, a portmap SET "from 127.0.0.1" that the directory
 * took as a local caller's, though only this machine may SET. A socket bound to an IPv6 address
 * receives no IPv4 datagram, so an IPv4 source there is such a forgery: dropped and counted, not
 * run. Raw IPv6 frames need privileges a test does not have, so the datagrams are handed to the
 * server's UDP handler in an embedded channel, addressed as the socket would report them.
 */
class MappedSourceDatagramsTest {
  private static final InetSocketAddress FROM_LOOPBACK =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 4242);

  @Test
  void anIpv4SourceOnASocketBoundToAnIpv6AddressIsDroppedNotRun() throws Exception {
    try (RpcServer server = server()) {
      EmbeddedChannel channel = new EmbeddedChannel(server.udpEndpoint().newSocket());
      channel.writeInbound(datagram(1, at("fd00::1", server.port()), FROM_LOOPBACK));
      assertNull(channel.readOutbound(), "no reply, nothing run");
      assertEquals(1, server.stats().droppedDatagrams());
      assertEquals(0, server.stats().calls());
      channel.finishAndReleaseAll();
    }
  }

  /**
   * The wildcard socket takes IPv4 and IPv6 alike. Where the sockets give an IPv4 datagram its own
   * destination as its recipient (the native transport), one whose recipient is still the
   * wildcard came as IPv6, and an IPv4 source on it is forged too; elsewhere they cannot be told
   * apart, and it is answered.
   */
  @Test
  void onTheWildcardSocketAnIpv4SourceIsForgedWhenItCameWithoutAnIpv4Destination() throws Exception {
    try (RpcServer server = server()) {
      EmbeddedChannel channel = new EmbeddedChannel(server.udpEndpoint().newSocket());
      int port = server.port();
      if (server.udpEndpoint().ipv4DestinationsReported) {
        channel.writeInbound(datagram(1, at("::", port), FROM_LOOPBACK));
        assertNull(channel.readOutbound(), "no reply, nothing run");
        assertEquals(1, server.stats().droppedDatagrams());
        assertAnswered(channel, 2, at("127.0.0.2", port), FROM_LOOPBACK); // as the socket gives it
        assertEquals(1, server.stats().calls());
      } else {
        assertAnswered(channel, 1, at("::", port), FROM_LOOPBACK);
        assertEquals(0, server.stats().droppedDatagrams());
      }
      channel.finishAndReleaseAll();
    }
  }

  /** What no forger can be told from: each is answered as before. */
  @Test
  void otherPairsOfSourceAndSocketAreAnswered() throws Exception {
    try (RpcServer server = server()) {
      EmbeddedChannel channel = new EmbeddedChannel(server.udpEndpoint().newSocket());
      int port = server.port();
      assertAnswered(channel, 1, at("127.0.0.1", port), FROM_LOOPBACK);
      assertAnswered(channel, 2, at("fd00::1", port), at("fd00::2", 4242));
      assertAnswered(channel, 3, at("::1", port), at("::1", 4242));
      assertAnswered(channel, 4, at("::", port), at("fd00::2", 4242));
      assertEquals(0, server.stats().droppedDatagrams());
      assertEquals(4, server.stats().calls());
      channel.finishAndReleaseAll();
    }
  }

  private static RpcServer server() throws Exception {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.UDP)
        .directory(Directory.none()).directExecutor().addService(new TestService().definition())
        .build().start();
  }

  private static void assertAnswered(EmbeddedChannel channel, int xid, InetSocketAddress to,
      InetSocketAddress from) {
    channel.writeInbound(datagram(xid, to, from));
    DatagramPacket reply = channel.readOutbound();
    try {
      assertEquals(from, reply.recipient(), "to " + to + " from " + from);
      assertEquals(xid, reply.content().getInt(0), "its xid");
    } finally {
      reply.release();
    }
  }

  private static InetSocketAddress at(String literal, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(literal), port);
  }

  private static DatagramPacket datagram(int xid, InetSocketAddress recipient,
      InetSocketAddress sender) {
    byte[] args = ByteBuffer.allocate(8).putInt(2).putInt(3).array();
    byte[] call = RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, TestService.ADD.number(),
        OpaqueAuth.NONE, args);
    return new DatagramPacket(Unpooled.wrappedBuffer(call), recipient, sender);
  }
}
