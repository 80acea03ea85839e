package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
}
