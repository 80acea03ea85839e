package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Collections;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * A server bound to every address answers a UDP call from the address the call was sent to, as
 * libtirpc's server does (IP_PKTINFO): a client whose socket is connected to that address (as
 * libtirpc's with {@code CLSET_CONNECT} and Linux's kernel RPC client are), or that sits behind
 * a stateful firewall, takes no reply from another. A caller on 127.0.0.1 calling this host's
 * other address is the case on one machine: the system routes a reply to 127.0.0.1 from
 * 127.0.0.1.
 */
class UdpReplySourceTest {
  @Test
  void aReplyLeavesFromTheAddressCalled() throws Exception {
    InetAddress other = otherAddress();
    try (RpcServer server = RpcServer.builder()
            .bind(new InetSocketAddress(0).getAddress(), 0) // every address
            .transports(Transport.UDP)
            .addService(new TestService().definition())
            .build()
            .start();
        DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      client.connect(new InetSocketAddress(other, server.port())); // replies from elsewhere are dropped
      client.setSoTimeout(10_000);
      byte[] call = ByteBuffer.allocate(40).putInt(0x5eed).putInt(0).putInt(2)
          .putInt(TestService.PROGRAM).putInt(1).putInt(0).array(); // NULL, AUTH_NONE: zeros
      client.send(new DatagramPacket(call, call.length));
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      try {
        client.receive(reply);
      } catch (SocketTimeoutException e) {
        fail("no reply from " + other + " in 10 s (one from another address is dropped)");
      }
      assertEquals(new InetSocketAddress(other, server.port()), reply.getSocketAddress());
      assertEquals(0x5eed, ByteBuffer.wrap(reply.getData()).getInt());
    }
  }

  /** An IPv4 address of this host other than loopback; a machine with none skips (CI fails). */
  private static InetAddress otherAddress() throws Exception {
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nif.isUp() && !nif.isLoopback()) {
        for (InetAddress address : Collections.list(nif.getInetAddresses())) {
          if (address instanceof Inet4Address) {
            return address;
          }
        }
      }
    }
    String ci = System.getenv("CI");
    if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false")) {
      fail("this test needs an IPv4 address other than loopback [required because CI=" + ci + "]");
    }
    Assumptions.abort("this machine has no IPv4 address other than loopback");
    return null;
  }
}
