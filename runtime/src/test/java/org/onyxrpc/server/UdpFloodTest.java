package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.testing.LoopbackHosts;

/**
 * One host (127.0.0.2) floods the UDP port with valid calls that block, from many source ports:
 * it holds at most half of UDP's calls in flight, in its own lane, so a client on another
 * address (127.0.0.1) is still answered at once rather than dropped or queued behind the flood.
 */
class UdpFloodTest {
  private static final InetAddress HOST = LoopbackHosts.host("127.0.0.2");
  private static final int PORTS = 40;
  private static final int CALLS_PER_PORT = 5;
  private final TestService service = new TestService();
  private final int maxInFlight = 32;
  private RpcServer server;
  private final List<DatagramSocket> sockets = new ArrayList<>();


  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.UDP).directory(Directory.none())
        .maxConcurrentCallsPerConnection(maxInFlight)
        .addService(service.definition()).build().start();
  }

  @AfterEach
  void stop() {
    service.gate.countDown();
    for (DatagramSocket s : sockets) {
      s.close();
    }
    server.close();
  }

  @Test
  void aFloodFromManyPortsOfOneHostLeavesOtherHostsServed() throws Exception {
    InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    int xid = 1;
    for (int p = 0; p < PORTS; p++) {
      DatagramSocket socket = new DatagramSocket(new InetSocketAddress(HOST, 0));
      sockets.add(socket);
      for (int c = 0; c < CALLS_PER_PORT; c++, xid++) {
        byte[] call = TestService.rawHold(xid, xid);
        socket.send(new DatagramPacket(call, call.length, to));
      }
    }
    Await.until(() -> server.callsInFlight() >= maxInFlight / 2);

    try (RpcClient other = RpcClient.builder().address("127.0.0.1", server.port())
        .transport(Transport.UDP).timeout(Duration.ofSeconds(30)).build()) {
      assertEquals(5, other.call(TestService.ADD, new TestService.Pair(2, 3)));
    }
    // The flood's own count: the server's includes the other client's call until just after its
    // reply is sent, which may be after the client has read it.
    assertEquals(maxInFlight / 2, server.udpEndpoint().callsInFlight(HOST),
        "one address holds half of UDP's calls");
    Await.until(() -> server.callsInFlight() == maxInFlight / 2);
    assertTrue(server.stats().droppedDatagrams() > 0);

    service.gate.countDown();
    Await.until(() -> server.callsInFlight() == 0
        && server.udpEndpoint().sendersWithCallsInFlight() == 0);
  }
}
