package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * Over UDP a client takes a reply only from the address and port it called: its socket is
 * connected, so the kernel drops a datagram from any other (libtirpc's clnt_dg, whose socket is
 * not connected unless told CLSET_CONNECT, takes any sender's reply with the right xid). A well-formed reply with the call's
 * xid from another port of the server's host, sent before the server's own, is not the call's
 * answer; the server's is. Both I/O strategies, in one execution.
 */
class RepliesFromAnotherPortTest {
  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aReplyFromAnotherPortIsIgnored(IoStrategy io) throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket other = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> serve(server, other), "udp-server-and-impostor");
      t.setDaemon(true);
      t.start();
      try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.getLocalPort())
          .transport(Transport.UDP).ioStrategy(io).timeout(Duration.ofSeconds(30)).build()) {
        assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2)));
      }
    }
  }

  /** Answers the ping; answers the call first from {@code other} (666), then itself (3). */
  private static void serve(DatagramSocket server, DatagramSocket other) {
    byte[] buffer = new byte[65_536];
    try {
      while (true) {
        DatagramPacket call = new DatagramPacket(buffer, buffer.length);
        server.receive(call);
        ByteBuffer in = ByteBuffer.wrap(call.getData(), 0, call.getLength());
        int xid = in.getInt(0);
        if (in.getInt(20) == 0) { // the ping, answered untagged as a C server would
          byte[] reply = ByteBuffer.allocate(24).putInt(xid).putInt(1).array();
          server.send(new DatagramPacket(reply, reply.length, call.getSocketAddress()));
        } else {
          byte[] forged = ByteBuffer.allocate(28).putInt(xid).putInt(1).putInt(24, 666).array();
          other.send(new DatagramPacket(forged, forged.length, call.getSocketAddress()));
          byte[] reply = ByteBuffer.allocate(28).putInt(xid).putInt(1).putInt(20, 0).putInt(24, 3)
              .array();
          server.send(new DatagramPacket(reply, reply.length, call.getSocketAddress()));
        }
      }
    } catch (IOException e) {
      // closed
    }
  }
}
