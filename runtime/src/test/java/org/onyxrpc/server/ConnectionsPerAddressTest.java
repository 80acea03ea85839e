package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.LoopbackHosts;

/**
 * One host (raw sockets from 127.0.0.2) opens connections up to the server's maximum and keeps a
 * call in flight on each, which makes none of them evictable: it gets three quarters of the
 * places, its own newcomers beyond are refused, and a client on another address (127.0.0.1)
 * still connects and is served.
 */
class ConnectionsPerAddressTest {
  private static final InetAddress HOST = LoopbackHosts.host("127.0.0.2");
  private static final int MAX_CONNECTIONS = 8;
  private final TestService service = new TestService();
  private RpcServer server;
  private final List<RawTcpPeer> peers = new ArrayList<>();


  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .maxConnections(MAX_CONNECTIONS).addService(service.definition()).build().start();
  }

  @AfterEach
  void stop() throws Exception {
    service.gate.countDown();
    for (RawTcpPeer p : peers) {
      p.close();
    }
    server.close();
  }

  /** A connection from {@link #HOST} that sends a HOLD call. */
  private RawTcpPeer holder(int xid) throws Exception {
    RawTcpPeer peer = new RawTcpPeer(server.port(), HOST);
    peers.add(peer);
    try {
      peer.sendRecord(TestService.rawHold(xid, xid));
    } catch (java.io.IOException refused) {
      // closed by the server before the call went out
    }
    return peer;
  }

  @Test
  void aHostWithACallInFlightOnEveryConnectionLeavesAQuarterOfThePlacesToOthers() throws Exception {
    int share = MAX_CONNECTIONS - MAX_CONNECTIONS / 4;
    for (int i = 1; i <= share; i++) {
      holder(i);
      int held = i;
      Await.until(() -> service.holding.get() == held); // in flight: not evictable
    }
    for (int i = share + 1; i <= MAX_CONNECTIONS; i++) {
      assertTrue(holder(i).closedByPeer(), "a newcomer of the host beyond its share is refused");
    }
    assertEquals(share, service.holding.get());
    assertEquals(MAX_CONNECTIONS - share, server.stats().rejectedConnections());

    try (RpcClient other = RpcClient.builder().address("127.0.0.1", server.port())
        .timeout(Duration.ofSeconds(20)).build()) {
      assertEquals(5, other.call(TestService.ADD, new TestService.Pair(2, 3)));
    }
  }

  @Test
  void atItsShareANewcomerOfTheHostTakesThePlaceOfItsOwnIdlestConnection() throws Exception {
    int share = MAX_CONNECTIONS - MAX_CONNECTIONS / 4;
    RawTcpPeer idle = new RawTcpPeer(server.port(), HOST);
    peers.add(idle);
    idle.sendRecord(RawTcpPeer.call(100, 2, TestService.PROGRAM, 1, 0, OpaqueAuth.NONE, new byte[0]));
    idle.readReply(); // connected and quiet, with no call in flight
    // Its reply can reach it before its loop has counted the call done and the reply written:
    // until then it holds a call (not evictable at all) and the newcomer would be refused.
    Await.until(() -> server.openConnections().evictable() == 1);
    for (int i = 1; i < share; i++) {
      holder(i);
      int held = i;
      Await.until(() -> service.holding.get() == held);
    }
    RawTcpPeer newcomer = holder(share);
    assertTrue(idle.closedByPeer(), "the host's own idle connection made room");
    Await.until(() -> service.holding.get() == share);
    assertEquals(1, server.stats().rejectedConnections());
  }
}
