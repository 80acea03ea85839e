package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * One host (127.0.0.2) floods the server with connections that each hold half a record, far past
 * its share of the maximum: each newcomer takes the place of one of its own idle connections, as
 * before, but the accepting thread does not look at every connection for each of them. It did,
 * and another address's newcomer waited in the kernel's accept queue behind the flood's (1,500
 * such connections against {@code onyx directory}: 0.7 s for the next call from another
 * address, 3.7 s on a loaded machine). Counted, not timed: the scans of the connections.
 */
class FloodAtItsShareTest {
  private static final InetAddress HOST = LoopbackHosts.host("127.0.0.2");
  private static final int MAX_CONNECTIONS = 256;
  private static final int SHARE = MAX_CONNECTIONS - MAX_CONNECTIONS / 4;
  /** Newcomers beyond the share, each taking the place of one of the host's own. */
  private static final int BEYOND = 96;
  private final TestService service = new TestService();
  private final List<RawTcpPeer> peers = new ArrayList<>();
  private RpcServer server;

  @AfterEach
  void stop() throws Exception {
    for (RawTcpPeer p : peers) {
      p.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void newcomersBeyondTheShareTakeTheirOwnPlacesWithoutAScanEach(TcpIo io) throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .tcpIo(io).maxConnections(MAX_CONNECTIONS).addService(service.definition()).build().start();
    byte[] half = halfRecord();
    for (int i = 0; i < SHARE; i++) {
      half(half);
    }
    Await.until(() -> server.connections() == SHARE);
    Await.until(() -> server.openConnections().evictable() == SHARE); // each seen, and idle
    long scansBefore = server.limiterScans();
    for (int i = 0; i < BEYOND; i++) {
      half(half);
    }
    Await.until(() -> server.stats().rejectedConnections() == BEYOND);
    long scans = server.limiterScans() - scansBefore;
    // A sixteenth of the share ranked per scan, 12 newcomers each: 8 scans, a few more if some
    // connection ranked was found busy or gone by its turn. Before, one per newcomer.
    assertTrue(scans <= BEYOND / 4,
        scans + " scans of every connection for " + BEYOND + " newcomers of one address at its share");
    // One of its own closed for each newcomer, no more; the newcomer is counted in just after.
    Await.until(() -> server.connections() == SHARE);
    for (RawTcpPeer p : peers) {
      p.timeout(1);
    }
    Await.until(() -> peers.stream().filter(FloodAtItsShareTest::closedNow).count() == BEYOND);
    try (RpcClient other = RpcClient.builder().address("127.0.0.1", server.port())
        .timeout(Duration.ofSeconds(20)).build()) {
      assertEquals(5, other.call(TestService.ADD, new TestService.Pair(2, 3)));
    }
  }

  /**
   * Many hosts (127.0.1.1 .. 127.0.1.8, each under its share) fill every place with idle
   * connections; newcomers from yet others (127.0.2.x) each take the place of the idlest: one
   * look at every connection per sixteenth of the maximum, not one per newcomer.
   */
  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void newcomersAtTheMaximumTakeTheIdlestPlacesWithoutAScanEach(TcpIo io) throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .tcpIo(io).maxConnections(MAX_CONNECTIONS).addService(service.definition()).build().start();
    byte[] half = halfRecord();
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
      half(half, LoopbackHosts.host("127.0.1." + (1 + i % 8)));
    }
    Await.until(() -> server.connections() == MAX_CONNECTIONS);
    Await.until(() -> server.openConnections().evictable() == MAX_CONNECTIONS);
    long scansBefore = server.limiterScans();
    for (int i = 0; i < BEYOND; i++) {
      half(half, LoopbackHosts.host("127.0.2." + (1 + i)));
    }
    Await.until(() -> server.stats().rejectedConnections() == BEYOND);
    long scans = server.limiterScans() - scansBefore;
    // A sixteenth of the maximum ranked per scan, 16 newcomers each: 6 scans. Before, 96.
    assertTrue(scans <= BEYOND / 4,
        scans + " scans of every connection for " + BEYOND + " newcomers at the maximum");
    Await.until(() -> server.connections() == MAX_CONNECTIONS); // one closed for each newcomer
    for (RawTcpPeer p : peers) {
      p.timeout(1);
    }
    Await.until(() -> peers.stream().filter(FloodAtItsShareTest::closedNow).count() == BEYOND);
  }

  private static byte[] halfRecord() {
    byte[] call = RawTcpPeer.call(1, 2, TestService.PROGRAM, 1, 0, OpaqueAuth.NONE, new byte[0]);
    byte[] record = RawTcpPeer.records(call, 1);
    return Arrays.copyOf(record, record.length / 2);
  }

  private void half(byte[] half) throws Exception {
    half(half, HOST);
  }

  private void half(byte[] half, InetAddress from) throws Exception {
    RawTcpPeer peer = new RawTcpPeer(server.port(), from);
    peers.add(peer);
    peer.sendRaw(half);
  }

  /** True if the server has closed {@code p} (its end of stream, or a reset). */
  private static boolean closedNow(RawTcpPeer p) {
    try {
      return p.read() < 0;
    } catch (java.net.SocketTimeoutException open) {
      return false;
    } catch (java.io.IOException reset) {
      return true;
    }
  }
}
