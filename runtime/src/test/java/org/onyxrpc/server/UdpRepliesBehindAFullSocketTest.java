package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.testing.LeakDetection;

/**
 * A UDP reply made while the socket cannot take more (its send buffer full, replies as large as
 * the channel's high water mark waiting behind it: replies to forged sources that never answer
 * ARP hold the buffer for seconds) is dropped and counted, not queued: queued, replies grew
 * without bound at the rate the calls came. No network can be made to fill a send buffer in a
 * test (loopback frees each datagram as it is delivered), so the channel here is told it is
 * full, as Netty tells it once the queued bytes pass the high water mark.
 */
@ExtendWith(LeakDetection.class)
class UdpRepliesBehindAFullSocketTest {
  private static final InetSocketAddress CALLER =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 4000);

  @Test
  void aReplyToAFullSocketIsDroppedAndCountedAndOneToASocketWithRoomIsSent() {
    UdpEndpoint endpoint = new UdpEndpoint(null, null, 65_507, 16, false);
    UdpSocket socket = endpoint.newSocket();
    EmbeddedChannel channel = new EmbeddedChannel(socket);
    try {
      channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
      ByteBuf dropped = socket.newReply().writeInt(1);
      socket.send(dropped, CALLER);
      assertNull(channel.readOutbound(), "nothing queued for a full socket");
      assertEquals(0, dropped.refCnt(), "the dropped reply is released");
      assertEquals(1, endpoint.dropped.sum());

      channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
      socket.send(socket.newReply().writeInt(2), CALLER);
      DatagramPacket sent = channel.readOutbound();
      try {
        assertEquals(2, sent.content().getInt(0));
        assertEquals(CALLER, sent.recipient());
      } finally {
        sent.release();
      }
      assertEquals(1, endpoint.dropped.sum());
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  /**
   * Calls in flight that all reply at once, from the server's workers, with large results: none
   * is dropped. (Without epoll each such reply waits as a task for the event loop, counted
   * against the channel's water mark meanwhile: Netty's default of 64 KiB made the channel
   * unwritable for a burst of two such replies. Run with -Dorg.onyxrpc.noEpoll=true to see it.)
   */
  @Test
  void aBurstOfLargeRepliesFromEveryCallInFlightIsSentWhole() throws Exception {
    int calls = 16;
    int bytes = 60_000;
    CountDownLatch gate = new CountDownLatch(1);
    Procedure<Integer, byte[]> read =
        new Procedure<>(0x20000204, 1, 1, "Burst.read", XdrCodecs.INT, XdrCodecs.OPAQUE);
    ServiceDefinition reads = ServiceDefinition.builder(0x20000204, 1).procedure(read, (n, ctx) -> {
      gate.await();
      return new byte[n];
    }).build();
    List<DatagramSocket> callers = new ArrayList<>();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.UDP).directory(Directory.none())
        .maxConcurrentCallsPerConnection(2 * calls).addService(reads).build().start()) {
      for (int i = 0; i < calls; i++) {
        DatagramSocket caller = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        callers.add(caller);
        caller.setReceiveBufferSize(1 << 18);
        caller.setSoTimeout(10_000);
        byte[] call = RawTcpPeer.call(i + 1, 2, 0x20000204, 1, 1, OpaqueAuth.NONE,
            ByteBuffer.allocate(4).putInt(bytes).array());
        caller.send(new java.net.DatagramPacket(call, call.length, InetAddress.getLoopbackAddress(),
            server.port()));
      }
      Await.until(() -> server.callsInFlight() == calls);
      gate.countDown();
      for (DatagramSocket caller : callers) {
        java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[65_536], 65_536);
        caller.receive(reply); // times out if its reply was dropped
        assertTrue(reply.getLength() > bytes, "the whole reply");
      }
      assertEquals(0, server.stats().droppedDatagrams());
    } finally {
      gate.countDown();
      for (DatagramSocket caller : callers) {
        caller.close();
      }
    }
  }
}
