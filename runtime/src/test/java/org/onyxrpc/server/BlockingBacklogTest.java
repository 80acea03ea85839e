package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.TestTransport;

/**
 * Calls that block (on a lock, a disk, another service) from one connection, or from UDP, whose
 * senders share one lane, as many as the pool has threads: they may not take every thread, or
 * every other client's call waits for one of them to finish (one connection of 128 two-second
 * calls made every other client's add() take two seconds).
 */
@ExtendWith(LeakDetection.class)
class BlockingBacklogTest {
  private final TestService service = new TestService();
  private final int threads = ServerDefaults.defaultThreads();
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestTransport.server().maxConcurrentCallsPerConnection(Math.max(128, threads))
        .addService(service.definition()).build().start();
  }

  @AfterEach
  void stop() {
    service.gate.countDown();
    server.close();
  }

  /** A client whose deadline is far beyond what its call needs: TIMEOUT means it was starved. */
  private RpcClient polite() {
    return TestTransport.client(server).timeout(Duration.ofSeconds(20)).build();
  }

  @Test
  void oneConnectionsBlockedCallsLeaveThreadsForOthers() throws Exception {
    try (RpcClient greedy = TestTransport.client(server).timeout(Duration.ofSeconds(30)).build();
        RpcClient polite = polite()) {
      List<CompletableFuture<Integer>> held = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        held.add(greedy.callAsync(TestService.HOLD, i));
      }
      LimitsAndShutdownTest.awaitCalls(server, threads);
      assertEquals(5, polite.call(TestService.ADD, new TestService.Pair(2, 3)));
      service.gate.countDown();
      for (int i = 0; i < threads; i++) {
        assertEquals(i, held.get(i).get(30, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void blockedUdpCallsLeaveThreadsForConnections() throws Exception {
    try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RpcClient polite = polite()) {
      for (int i = 0; i < threads; i++) {
        byte[] call = RawTcpPeer.call(1000 + i, 2, TestService.PROGRAM, 1, 10, OpaqueAuth.NONE,
            ByteBuffer.allocate(4).putInt(i).array());
        udp.send(new DatagramPacket(call, call.length, InetAddress.getLoopbackAddress(), server.port()));
      }
      LimitsAndShutdownTest.awaitCalls(server, threads);
      assertEquals(5, polite.call(TestService.ADD, new TestService.Pair(2, 3)));
    }
  }
}
