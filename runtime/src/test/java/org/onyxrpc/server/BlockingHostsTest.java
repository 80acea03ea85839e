package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
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
import org.onyxrpc.testing.LoopbackHosts;

/**
 * Calls that block, from several TCP connections of one host (raw sockets from 127.0.0.2), or
 * from one that sends them, closes and comes back: one lane may hold half of the runners, but
 * connections are free to open, so one address's lanes together hold at most three quarters,
 * counted for as long as the calls run. A client on another address (127.0.0.1) is still served.
 */
class BlockingHostsTest {
  private static final InetAddress HOST = LoopbackHosts.host("127.0.0.2");
  private final TestService service = new TestService();
  private final int threads = ServerDefaults.defaultThreads();
  private final int hostShare = threads * 3 / 4;
  private RpcServer server;
  private final List<RawTcpPeer> peers = new ArrayList<>();


  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .maxConcurrentCallsPerConnection(threads).addService(service.definition()).build().start();
  }

  @AfterEach
  void stop() throws Exception {
    service.gate.countDown();
    for (RawTcpPeer p : peers) {
      p.close();
    }
    server.close();
  }

  /** A connection from {@link #HOST} that sends {@code calls} HOLD calls and reads nothing. */
  private RawTcpPeer holder(int calls) throws Exception {
    RawTcpPeer peer = new RawTcpPeer(server.port(), HOST);
    peers.add(peer);
    for (int i = 0; i < calls; i++) {
      peer.sendRecord(TestService.rawHold(1000 + i, i));
    }
    return peer;
  }

  private void assertAnotherAddressIsServed() {
    try (RpcClient polite = RpcClient.builder().address("127.0.0.1", server.port())
        .timeout(Duration.ofSeconds(10)).build()) {
      assertEquals(5, polite.call(TestService.ADD, new TestService.Pair(2, 3)));
    }
  }

  @Test
  void severalConnectionsOfOneHostLeaveRunnersForOthers() throws Exception {
    for (int c = 0; c < 3; c++) {
      holder(threads);
    }
    Await.until(() -> service.holding.get() >= hostShare && server.stats().calls() >= 3L * threads);
    assertAnotherAddressIsServed();
    assertEquals(hostShare, service.holding.get());
  }

  @Test
  void aHostThatClosesAndComesBackStillCountsTheCallsItLeftRunning() throws Exception {
    RawTcpPeer first = holder(threads);
    Await.until(() -> service.holding.get() == threads / 2); // one connection's share
    first.close(); // its calls go on running
    holder(threads);
    Await.until(() -> service.holding.get() >= hostShare && server.stats().calls() >= 2L * threads);
    assertAnotherAddressIsServed();
    assertEquals(hostShare, service.holding.get());
  }
}
