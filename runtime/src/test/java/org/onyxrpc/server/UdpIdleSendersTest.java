package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * A UDP client address's entry (its count of calls in flight, its lane) outlives its last call
 * among the {@link UdpEndpoint#IDLE_SENDERS_KEPT} last idle ones: a client calling one at a time
 * finds it made, and a flood from ever new source addresses (the peer chooses them) keeps no
 * more than that many. Raw datagrams from addresses of 127.0.0.0/8.
 */
@ExtendWith(LeakDetection.class)
class UdpIdleSendersTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private final TestService service = new TestService();
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.UDP)
        .directory(Directory.none()).addService(service.definition()).build().start();
  }

  @AfterEach
  void stop() {
    service.gate.countDown();
    server.close();
  }

  /** The n-th client address of these tests: 127.0.1.1, 127.0.1.2, ... */
  private static InetAddress host(int n) {
    return LoopbackHosts.host("127.0." + (1 + n / 250) + "." + (1 + n % 250));
  }

  /** Sends an ADD from {@code from} and waits for its reply; returns the reply's xid. */
  private int add(DatagramSocket from, int xid) throws Exception {
    byte[] call = RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, TestService.ADD.number(),
        OpaqueAuth.NONE, ByteBuffer.allocate(8).putInt(2).putInt(3).array());
    from.send(new DatagramPacket(call, call.length, LOOPBACK, server.port()));
    DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
    from.receive(reply);
    return ByteBuffer.wrap(reply.getData(), 0, reply.getLength()).getInt();
  }

  private static DatagramSocket socketAt(InetAddress address) throws Exception {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0));
    socket.setSoTimeout(10_000);
    return socket;
  }

  @Test
  void aClientCallingOneAtATimeKeepsItsEntryBetweenCalls() throws Exception {
    try (DatagramSocket client = socketAt(host(0))) {
      for (int xid = 1; xid <= 3; xid++) {
        assertEquals(xid, add(client, xid));
        int call = xid;
        Await.until(() -> server.callsInFlight() == 0);
        assertEquals(1, server.udpEndpoint().senders(), "kept after call " + call);
        assertTrue(server.udpEndpoint().keeps(host(0)));
      }
      assertEquals(1, server.udpEndpoint().idleSendersKept(), "listed once");
    }
  }

  @Test
  void aFloodFromDistinctAddressesKeepsNoMoreThanTheBoundOldestOut() throws Exception {
    int kept = UdpEndpoint.IDLE_SENDERS_KEPT;
    int addresses = kept + 36;
    for (int a = 0; a < addresses; a++) {
      try (DatagramSocket client = socketAt(host(a))) {
        assertEquals(100 + a, add(client, 100 + a));
      }
      // Its end (after its reply) lists it: the next address's must come later, so that the
      // oldest is the first.
      Await.until(() -> server.callsInFlight() == 0);
    }
    UdpEndpoint endpoint = server.udpEndpoint();
    assertEquals(kept, endpoint.senders(), "entries kept after " + addresses + " addresses");
    assertEquals(kept, endpoint.idleSendersKept());
    for (int a = 0; a < addresses; a++) {
      assertEquals(a >= addresses - kept, endpoint.keeps(host(a)), "address " + a + " kept");
    }
  }

  @Test
  void anEntryPushedOutWhileItHasACallInFlightStaysUntilItEnds() throws Exception {
    int kept = UdpEndpoint.IDLE_SENDERS_KEPT;
    try (DatagramSocket busy = socketAt(host(0))) {
      assertEquals(1, add(busy, 1)); // listed idle, the oldest
      Await.until(() -> server.callsInFlight() == 0);
      byte[] hold = TestService.rawHold(2, 7);
      busy.send(new DatagramPacket(hold, hold.length, LOOPBACK, server.port()));
      Await.until(() -> service.holding.get() == 1);
      for (int a = 1; a <= kept; a++) { // pushes the busy one out of the idle ones kept
        try (DatagramSocket client = socketAt(host(a))) {
          assertEquals(100 + a, add(client, 100 + a));
        }
        Await.until(() -> server.callsInFlight() == 1); // listed in the order they called
      }
      UdpEndpoint endpoint = server.udpEndpoint();
      assertEquals(1, endpoint.callsInFlight(host(0)), "its call still counted");
      assertEquals(kept + 1, endpoint.senders());
      service.gate.countDown();
      assertEquals(2, ByteBuffer.wrap(receive(busy)).getInt(), "the held call's reply");
      Await.until(() -> server.callsInFlight() == 0);
      assertTrue(endpoint.keeps(host(0)), "listed again when its call ended");
      assertFalse(endpoint.keeps(host(1)), "the oldest idle one went in its place");
      assertEquals(kept, endpoint.senders());
      assertEquals(kept, endpoint.idleSendersKept());
    }
  }

  private static byte[] receive(DatagramSocket socket) throws Exception {
    DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
    socket.receive(reply);
    return reply.getData();
  }
}
