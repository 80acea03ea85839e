package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * Peers on a server's Unix-domain socket are counted by their uid (SO_PEERCRED), as TCP peers by
 * their address: one local user who opens connections up to the server's maximum and keeps a
 * call in flight on each gets three quarters of the places, and a TCP client still connects and
 * is served. Before, Unix-domain peers were counted by nobody, and such a user took every place
 * of the server, its TCP clients' too.
 */
class UnixPeersShareTest {
  private static final int MAX_CONNECTIONS = 8;
  @TempDir
  Path dir;

  @Test
  void oneLocalUserWithACallInFlightOnEveryConnectionLeavesAQuarterOfThePlacesToOthers() throws Exception {
    TestService service = new TestService();
    Path socket = dir.resolve("server.sock");
    List<SocketChannel> held = new ArrayList<>();
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .unixSocket(socket).transports(Transport.TCP, Transport.UNIX).directory(Directory.none())
        .maxConnections(MAX_CONNECTIONS).addService(service.definition()).build().start();
    try {
      int share = MAX_CONNECTIONS - MAX_CONNECTIONS / 4;
      for (int i = 1; i <= share; i++) {
        held.add(holder(socket, i));
        int holding = i;
        Await.until(() -> service.holding.get() == holding); // in flight: not evictable
      }
      for (int i = share + 1; i <= MAX_CONNECTIONS; i++) {
        SocketChannel beyond = holder(socket, i);
        held.add(beyond);
        assertTrue(closedByServer(beyond), "a newcomer of the same uid beyond its share is refused");
      }
      assertEquals(share, service.holding.get());

      try (RpcClient tcp = RpcClient.builder().address("127.0.0.1", server.port())
          .timeout(Duration.ofSeconds(20)).build()) {
        assertEquals(5, tcp.call(TestService.ADD, new TestService.Pair(2, 3)));
      }
    } finally {
      service.gate.countDown(); // before the close, which waits for calls in flight
      for (SocketChannel ch : held) {
        ch.close();
      }
      server.close();
    }
  }

  /** A Unix-domain connection that sends a HOLD call (or is closed before it can). */
  private static SocketChannel holder(Path socket, int xid) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(socket));
    byte[] call = TestService.rawHold(xid, xid);
    ByteBuffer out = ByteBuffer.allocate(4 + call.length).putInt(0x8000_0000 | call.length).put(call).flip();
    try {
      while (out.hasRemaining()) {
        ch.write(out);
      }
    } catch (IOException refused) {
      // closed by the server before the call went out
    }
    return ch;
  }

  /** True if the server closes {@code ch} within 10 s (a Unix-domain channel has no read timeout). */
  private static boolean closedByServer(SocketChannel ch) throws IOException {
    ch.configureBlocking(false);
    try (Selector selector = Selector.open()) {
      ch.register(selector, SelectionKey.OP_READ);
      if (selector.select(10_000) == 0) {
        return false;
      }
      return ch.read(ByteBuffer.allocate(64)) < 0;
    } catch (IOException reset) {
      return true;
    }
  }
}
