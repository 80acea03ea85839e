package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * The duplicate request cache keys untagged UDP calls (C clients') by their sender's address
 * and xid, both of which anyone can forge. A forged call planted ahead of a client's own, with
 * its address, its next xid and other arguments, must not become that client's answer: only a
 * retransmission, the same call again, is answered from the cache.
 */
@ExtendWith(LeakDetection.class)
class ForgedUdpCallsTest {
  private RpcServer server;
  private DatagramSocket socket;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().transports(Transport.UDP)
        .addService(new TestService().definition()).build().start();
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    socket.setSoTimeout(5_000);
  }

  @AfterEach
  void stop() {
    socket.close();
    server.close();
  }

  /** An at-most-once add(a, b) from this socket, untagged as a C client's; its result. */
  private int add(int xid, int a, int b) throws Exception {
    byte[] call = RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, 1, OpaqueAuth.NONE,
        ByteBuffer.allocate(8).putInt(a).putInt(b).array());
    socket.send(new DatagramPacket(call, call.length, InetAddress.getLoopbackAddress(), server.port()));
    DatagramPacket reply = new DatagramPacket(new byte[512], 512);
    socket.receive(reply);
    ByteBuffer bytes = ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
    assertEquals(xid, bytes.getInt(0), "the reply to this call");
    return bytes.getInt(reply.getLength() - 4);
  }

  @Test
  void aCallWithTheXidOfAnotherButOtherArgumentsIsNotAnsweredFromTheCache() throws Exception {
    assertEquals(2, add(777, 1, 1)); // the forger's, from the victim's address
    assertEquals(42, add(777, 40, 2)); // the victim's own call, with the xid it chose
    assertEquals(0, server.stats().duplicatesReplayed());
  }

  @Test
  void aRetransmissionIsStillAnsweredFromTheCache() throws Exception {
    assertEquals(42, add(778, 40, 2));
    assertEquals(42, add(778, 40, 2));
    assertEquals(1, server.stats().duplicatesReplayed());
  }
}
