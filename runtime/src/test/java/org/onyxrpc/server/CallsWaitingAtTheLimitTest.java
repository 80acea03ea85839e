package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * Calls read beyond a connection's call limit wait their turn and are answered in order, however
 * many a peer packs behind the call that holds the slot: past the first few they are kept copied
 * together ({@link WaitingRecords}), and still each is one call. A call still waiting when the
 * server's drain begins never starts.
 */
@Timeout(60)
class CallsWaitingAtTheLimitTest {
  @Test
  void aThousandCallsBehindAHeldOneAreAnsweredInOrder() throws Exception {
    TestService service = new TestService();
    int behind = 1000;
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).maxConcurrentCallsPerConnection(1)
        .addService(service.definition()).build().start();
        RawTcpPeer peer = new RawTcpPeer(server.port())) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      record(all, TestService.rawHold(1, 1));
      for (int xid = 2; xid <= behind + 1; xid++) {
        record(all, RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, 0, OpaqueAuth.NONE, new byte[0]));
      }
      record(all, new byte[0]); // an empty record (not a call) among them
      record(all, RawTcpPeer.call(behind + 2, 2, TestService.PROGRAM, 1, 0, OpaqueAuth.NONE, new byte[0]));
      peer.sendRaw(all.toByteArray()); // in one write: read with the held call, or while it holds
      Await.within(() -> service.holding.get() == 1, Duration.ofSeconds(10));
      service.gate.countDown();
      for (int xid = 1; xid <= behind + 2; xid++) {
        assertEquals(xid, peer.readReply().xid(), "replies in the order of the calls");
      }
    }
  }

  @Test
  void aCallWaitingAtTheLimitWhenTheDrainBeginsNeverStarts() throws Exception {
    TestService service = new TestService();
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).maxConcurrentCallsPerConnection(1)
        .addService(service.definition()).build().start();
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.timeout(10_000);
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      record(both, TestService.rawHold(1, 1));
      record(both, RawTcpPeer.call(2, 2, TestService.PROGRAM, 1, TestService.LOG.number(),
          OpaqueAuth.NONE, ByteBuffer.allocate(8).putInt(4).put("late".getBytes()).array()));
      peer.sendRaw(both.toByteArray());
      Await.within(() -> service.holding.get() == 1, Duration.ofSeconds(10));
      Await.until(() -> server.openConnections().waitingRecords() == 1);
      CompletableFuture<Boolean> shutdown =
          CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofSeconds(10)));
      Await.until(server::draining);
      service.gate.countDown();
      assertEquals(1, peer.readReply().xid());
      assertTrue(shutdown.get(1, TimeUnit.MINUTES));
      assertEquals(java.util.List.of(), java.util.List.copyOf(service.logged),
          "the call behind the held one was still waiting when the drain began");
    } finally {
      server.close();
    }
  }

  private static void record(ByteArrayOutputStream out, byte[] message) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(0x8000_0000 | message.length).array());
    out.writeBytes(message);
  }
}
