package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.OpenDescriptors;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Hostile peers over a Unix-domain socket, from the JDK's own Unix-domain channels: what
 * UnreadRepliesTest and ConnectionChurnTest check over TCP. No defect found. (Credentials: the
 * server takes a peer's from SO_PEERCRED and never sets SO_PASSCRED, so an SCM_CREDENTIALS
 * message a peer sends is not even read.)
 */
@ExtendWith(LeakDetection.class)
class UnixDomainHostilePeersTest {
  private static final int PROGRAM = 0x20000205;
  private static final Procedure<Integer, byte[]> READ =
      new Procedure<>(PROGRAM, 1, 1, "Unix.read", XdrCodecs.INT, XdrCodecs.OPAQUE);
  private final CountDownLatch gate = new CountDownLatch(1);
  private Path directory;
  private UnixDomainSocketAddress at;
  private RpcServer server;
  private RpcClient good;

  @BeforeEach
  void start() throws IOException {
    directory = Files.createTempDirectory("onyx");
    Path path = directory.resolve("s.sock");
    at = UnixDomainSocketAddress.of(path);
    server = RpcServer.builder().unixSocket(UnixSocketAddress.of(path))
        .transports(Transport.UNIX).maxBufferedBytes(1 << 20)
        .idleTimeout(Duration.ofMinutes(10)) // not what closes a peer here
        .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(READ, (n, ctx) -> {
          gate.await();
          return new byte[n];
        }).build())
        .addService(new TestService().definition()).build().start();
    good = RpcClient.builder().unixSocket(UnixSocketAddress.of(path))
        .timeout(Duration.ofSeconds(10)).build();
  }

  @AfterEach
  void stop() throws IOException {
    gate.countDown();
    server.close();
    good.close();
    Files.deleteIfExists(directory.resolve("s.sock"));
    Files.deleteIfExists(directory);
  }

  private SocketChannel connect() throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(at);
    return channel;
  }

  @Test
  void fiveHundredPeersThatConnectAndCloseLeaveNoDescriptorOrConnection() throws Exception {
    assertEquals(5, good.call(TestService.ADD, new TestService.Pair(2, 3)));
    long descriptors = OpenDescriptors.count();
    for (int i = 0; i < 500; i++) {
      try (SocketChannel peer = connect()) {
        if (i % 2 == 0) { // a record mark and the start of a record it never finishes
          peer.write(ByteBuffer.allocate(8).putInt(0x8000_0000 | 1000).putInt(7).flip());
        }
      }
    }
    // Accepted in the order they connected: once a newcomer is served, every peer before it was
    // taken from the listen queue, and is counted until the server has closed it.
    try (RpcClient newcomer = RpcClient.builder().unixSocket(UnixSocketAddress.of(at.getPath()))
        .timeout(Duration.ofSeconds(10)).build()) {
      assertEquals(5, newcomer.call(TestService.ADD, new TestService.Pair(2, 3)));
    }
    Await.until(() -> server.connections() == 1); // the good client's
    Await.until(() -> server.bufferedBytes() == 0); // what the unfinished records held
    Await.until(() -> OpenDescriptors.count() <= descriptors);
    assertEquals(5, good.call(TestService.ADD, new TestService.Pair(2, 3)));
  }

  @Test
  void aPeerThatNeverReadsItsRepliesIsClosedOnceTheBudgetIsSpent() throws Exception {
    int calls = 64;
    try (SocketChannel greedy = connect()) {
      ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
      for (int xid = 1; xid <= calls; xid++) { // 64 MiB of results for 64 small calls
        byte[] call = RawTcpPeer.call(xid, 2, PROGRAM, 1, 1, OpaqueAuth.NONE,
            ByteBuffer.allocate(4).putInt(1 << 20).array());
        pipelined.write(ByteBuffer.allocate(4).putInt(0x8000_0000 | call.length).array());
        pipelined.write(call);
      }
      greedy.write(ByteBuffer.wrap(pipelined.toByteArray()));
      Await.until(() -> server.callsInFlight() == calls);
      gate.countDown();
      Await.until(() -> server.callsInFlight() == 0); // every reply made, none read

      assertEquals(5, good.call(TestService.ADD, new TestService.Pair(2, 3)));
      assertArrayEquals(new byte[1000], good.call(READ, 1000));
      Await.until(() -> server.unreadReplyBytes() == 0); // let go with the greedy peer
      long read = 0;
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      for (int n; (n = greedy.read(buffer.clear())) >= 0; ) {
        read += n;
      }
      assertTrue(read < (long) calls << 20, "closed before every reply was kept: read " + read);
    }
  }
}
