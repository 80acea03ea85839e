package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * Calls that block, from several Unix-domain connections of one user: its connections together
 * run on at most three quarters of the runners, as one IP address's do (BlockingHostsTest), so a
 * TCP client is still served. Before, a Unix-domain connection's lane was counted with no
 * other's: any local user who could connect opened three and held every runner.
 */
class BlockingUnixPeersTest {
  @TempDir Path work;
  private final TestService service = new TestService();
  private final int threads = ServerDefaults.defaultThreads();
  private final int userShare = threads * 3 / 4;
  private final List<SocketChannel> peers = new ArrayList<>();
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .unixSocket(work.resolve("hold.sock"))
        .transports(Transport.TCP, Transport.UNIX)
        .directory(Directory.none())
        .maxConcurrentCallsPerConnection(threads)
        .addService(service.definition())
        .build().start();
  }

  @AfterEach
  void stop() throws Exception {
    service.gate.countDown();
    for (SocketChannel p : peers) {
      p.close();
    }
    server.close();
  }

  /** A Unix-domain connection that sends {@code calls} HOLD calls and reads nothing. */
  private void holder(int calls) throws IOException {
    SocketChannel peer = SocketChannel.open(StandardProtocolFamily.UNIX);
    peers.add(peer);
    peer.connect(UnixDomainSocketAddress.of(work.resolve("hold.sock")));
    for (int i = 0; i < calls; i++) {
      byte[] call = TestService.rawHold(1000 + i, i);
      ByteBuffer record = ByteBuffer.allocate(4 + call.length)
          .putInt(0x80000000 | call.length).put(call).flip(); // RFC 5531 §11: last fragment
      while (record.hasRemaining()) {
        peer.write(record);
      }
    }
  }

  @Test
  void severalConnectionsOfOneLocalUserLeaveRunnersForOthers() throws Exception {
    for (int c = 0; c < 3; c++) {
      holder(threads);
    }
    Await.until(() -> service.holding.get() >= userShare && server.stats().calls() >= 3L * threads);
    try (RpcClient polite = RpcClient.builder().address("127.0.0.1", server.port())
        .timeout(Duration.ofSeconds(10)).build()) {
      assertEquals(5, polite.call(TestService.ADD, new TestService.Pair(2, 3)));
    }
    assertEquals(userShare, service.holding.get());
  }
}
