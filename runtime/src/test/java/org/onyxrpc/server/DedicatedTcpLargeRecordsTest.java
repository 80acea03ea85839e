package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * Large records on a connection with a thread of its own ({@link BlockingBuffers}): the read
 * buffer grows as a fragment's bytes arrive, not as its header announces; the grown buffer is
 * kept for the next large record, charged to the byte budget (never more than half of it), and
 * given back with its charge when the connection closes or goes quiet ({@link LeakDetection}:
 * every buffer is tracked in the build's tests).
 */
@ExtendWith(LeakDetection.class)
class DedicatedTcpLargeRecordsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int MAX_RECORD = 4 << 20;
  private static final int LARGE = 1 << 20;

  @AfterEach
  void everyConnectionsThreadEnded() {
    Await.until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith(BlockingTcpConnection.THREAD_PREFIX)));
  }

  private static RpcServerBuilder server() {
    return RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.TCP)
        .directory(Directory.none()).tcpIo(TcpIo.DEDICATED_THREAD).directExecutor()
        .maxRecordBytes(MAX_RECORD).addService(new TestService().definition());
  }

  private static RpcClient client(int port) {
    return RpcClient.builder().address(new InetSocketAddress(LOOPBACK, port))
        .transport(Transport.TCP).ioStrategy(IoStrategy.CALLER_RUNS)
        .timeout(Duration.ofSeconds(20)).build();
  }

  private static byte[] large() {
    byte[] large = new byte[LARGE];
    Arrays.fill(large, (byte) 7);
    return large;
  }

  /** Each connection's thread is back in its usual buffer, after its last record. */
  private static void backToUsualBuffers(RpcServer server, int connections) {
    Await.until(() -> server.openConnections().dedicatedReadBytes(false)
        == (long) connections * BlockingBuffers.READ_BYTES);
  }

  @Test
  void aSecondLargeCallIsReadIntoTheBufferTheFirstGrew() throws Exception {
    try (RpcServer server = server().build().start(); RpcClient client = client(server.port())) {
      byte[] large = large();
      assertArrayEquals(large, client.call(TestService.BLOB, large));
      backToUsualBuffers(server, 1);
      long kept = server.openConnections().dedicatedReadBytes(true);
      assertTrue(kept > LARGE, kept + " bytes kept");
      assertTrue(server.bufferedBytes() >= kept, server.bufferedBytes() + " bytes charged");
      long before = server.openConnections().dedicatedAllocations();
      assertArrayEquals(large, client.call(TestService.BLOB, large));
      backToUsualBuffers(server, 1);
      // Read into the usual buffer, then the kept one; the reply in the spare: nothing taken.
      assertEquals(before, server.openConnections().dedicatedAllocations());
      assertEquals(kept, server.openConnections().dedicatedReadBytes(true));
    }
  }

  @Test
  void aPeerAnnouncingAHugeFragmentCostsTheBytesItSent() throws Exception {
    int sent = 60 * 1024;
    try (RpcServer server = server().build().start();
        RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.writeInt(0x8000_0000 | (MAX_RECORD - 4)); // within the limit: not refused
      peer.sendRaw(new byte[sent]);
      // The buffer must have grown to hold what was sent once all of it is read.
      Await.until(() -> server.openConnections().dedicatedReadBytes(false) >= sent);
      long room = server.openConnections().dedicatedReadBytes(false);
      assertTrue(room <= 2L * (sent + 4) + BlockingBuffers.READ_BYTES, room + " bytes of room");
      assertTrue(server.bufferedBytes() >= room, server.bufferedBytes() + " bytes charged");
      peer.close();
      Await.until(() -> server.bufferedBytes() == 0);
    }
  }

  @Test
  void connectionsKeepGrownBuffersWithinHalfTheBudget() throws Exception {
    long budget = 4L << 20;
    int connections = 4;
    List<RpcClient> clients = new ArrayList<>();
    try (RpcServer server = server().maxBufferedBytes(budget).build().start()) {
      try {
        byte[] large = large();
        for (int i = 0; i < connections; i++) {
          RpcClient client = client(server.port());
          clients.add(client);
          assertArrayEquals(large, client.call(TestService.BLOB, large));
        }
        backToUsualBuffers(server, connections);
        long kept = server.openConnections().dedicatedReadBytes(true);
        assertTrue(kept > LARGE && kept <= budget / 2, kept + " bytes kept");
        assertTrue(server.bufferedBytes() >= kept, server.bufferedBytes() + " bytes charged");
        for (RpcClient client : clients) { // read whole all the same
          assertArrayEquals(large, client.call(TestService.BLOB, large));
        }
      } finally {
        clients.forEach(RpcClient::close);
      }
      Await.until(() -> server.bufferedBytes() == 0); // each kept buffer given back on close
    }
  }

  @Test
  void aKeptBufferIsGivenBackAsSoonAsARecordWaitsForTheBudget() throws Exception {
    long budget = 4L << 20;
    // A record timeout of 10 minutes: the connections' timers look every 150 s, so only the wait
    // itself can make the kept buffer go before the calls' deadlines.
    try (RpcServer server = server().maxBufferedBytes(budget).recordTimeout(Duration.ofMinutes(10))
            .build().start();
        RpcClient keeper = client(server.port()); RpcClient uploader = client(server.port())) {
      byte[] large = large();
      assertArrayEquals(large, keeper.call(TestService.BLOB, large));
      Await.until(() -> server.openConnections().dedicatedReadBytes(true) > LARGE);
      // With the kept buffer's charge, more than the budget: read whole once it is dropped.
      byte[] upload = new byte[3 * LARGE];
      assertArrayEquals(upload, uploader.call(TestService.BLOB, upload));
      assertTrue(server.openConnections().dedicatedReadBytes(true) <= budget / 2);
    }
  }

  @Test
  void aKeptBufferIsGivenBackWhenItsConnectionIsQuiet() throws Exception {
    // A record timeout of 2 s: the connection's timer looks every 500 ms.
    try (RpcServer server = server().recordTimeout(Duration.ofSeconds(2)).build().start();
        RpcClient client = client(server.port())) {
      byte[] large = large();
      assertArrayEquals(large, client.call(TestService.BLOB, large));
      Await.until(() -> server.openConnections().dedicatedReadBytes(true) == 0
          && server.bufferedBytes() == 0);
      assertArrayEquals(large, client.call(TestService.BLOB, large)); // grown again
    }
  }
}
