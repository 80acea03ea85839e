package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Two hosts (raw sockets from 127.0.0.2 and 127.0.0.3) fill the server's connections, each with
 * one call in flight that waits watching its connection ({@link CallContext#onConnectionClosed}),
 * as a message queue's receive without end does. Before, no connection with a call in flight
 * was ever evicted, so a third client was refused for as long as the waits lasted; now the
 * waiting connection quiet longest makes room, its procedure is told, and a connection whose
 * call runs (not watching) stays.
 */
class WatchingConnectionsTest {
  private static final InetAddress FIRST = LoopbackHosts.host("127.0.0.2");
  private static final InetAddress SECOND = LoopbackHosts.host("127.0.0.3");
  private static final int MAX_CONNECTIONS = 8;
  private static final int PROGRAM = 0x20000178;
  /** Waits until its connection closes, watching it, and then ends without a reply. */
  private static final Procedure<Integer, Integer> WAIT =
      new Procedure<>(PROGRAM, 1, 1, "Watch.wait", XdrCodecs.INT, XdrCodecs.INT);

  private final TestService service = new TestService();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger toldClosed = new AtomicInteger();
  private final List<RawTcpPeer> peers = new ArrayList<>();
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    ServiceDefinition watcher = ServiceDefinition.builder(PROGRAM, 1)
        .asyncProcedure(WAIT, (n, ctx) -> {
          CompletableFuture<Integer> reply = new CompletableFuture<>();
          ctx.onConnectionClosed(() -> {
            toldClosed.incrementAndGet();
            reply.completeExceptionally(new NoReply("the caller went"));
          });
          waiting.incrementAndGet();
          return reply;
        })
        .build();
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .maxConnections(MAX_CONNECTIONS).addService(service.definition()).addService(watcher)
        .build().start();
  }

  @AfterEach
  void stop() throws Exception {
    service.gate.countDown();
    for (RawTcpPeer p : peers) {
      p.close();
    }
    server.close();
  }

  private RawTcpPeer peer(InetAddress from, byte[] call) throws Exception {
    RawTcpPeer peer = new RawTcpPeer(server.port(), from);
    peers.add(peer);
    peer.sendRecord(call);
    return peer;
  }

  private static byte[] waitCall(int xid) {
    return RawTcpPeer.call(xid, 2, PROGRAM, 1, WAIT.number(), OpaqueAuth.NONE,
        ByteBuffer.allocate(4).putInt(xid).array());
  }

  @Test
  void aConnectionWhoseCallsWaitWatchingItMakesRoomAndOneWhoseCallRunsStays() throws Exception {
    // The first host: a call that runs (HOLD, which watches nothing) on one connection, and
    // waiting calls on five more; the second host: waiting calls on the last two places.
    RawTcpPeer running = peer(FIRST, TestService.rawHold(1, 1));
    Await.until(() -> service.holding.get() == 1);
    List<RawTcpPeer> waiters = new ArrayList<>();
    for (int i = 2; i <= MAX_CONNECTIONS; i++) {
      waiters.add(peer(i <= 6 ? FIRST : SECOND, waitCall(i)));
      int started = i - 1;
      Await.until(() -> waiting.get() == started);
    }
    assertEquals(MAX_CONNECTIONS, server.connections());

    try (RpcClient other = RpcClient.builder().address("127.0.0.1", server.port())
        .timeout(Duration.ofSeconds(20)).build()) {
      assertEquals(5, other.call(TestService.ADD, new TestService.Pair(2, 3)));
    }
    Await.until(() -> toldClosed.get() == 1); // the evicted connection's close, on its own loop
    assertEquals(1, server.stats().rejectedConnections(), "one connection made room");
    assertTrue(waiters.get(0).closedByPeer(), "the waiting connection quiet longest made room");
    service.gate.countDown();
    assertEquals(ReplyHeader.accepted(1, RpcStatus.SUCCESS), running.readReply(),
        "the connection whose call runs stayed, and gets its reply");
  }
}
