package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
  /** Waits until the test answers it, watching nothing: a call that runs. */
  private static final Procedure<Integer, Integer> PARK =
      new Procedure<>(PROGRAM, 1, 2, "Watch.park", XdrCodecs.INT, XdrCodecs.INT);
  /** Answers at once, leaving its context to the test: a callback that registers late. */
  private static final Procedure<Integer, Integer> ANSWER =
      new Procedure<>(PROGRAM, 1, 3, "Watch.answer", XdrCodecs.INT, XdrCodecs.INT);

  private final TestService service = new TestService();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger toldClosed = new AtomicInteger();
  private final List<RawTcpPeer> peers = new ArrayList<>();
  private final Map<Integer, CompletableFuture<Integer>> parked = new ConcurrentHashMap<>();
  private final Map<Integer, CallContext> answered = new ConcurrentHashMap<>();
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
        .asyncProcedure(PARK, (n, ctx) -> parked.computeIfAbsent(n, k -> new CompletableFuture<>()))
        .procedure(ANSWER, (n, ctx) -> {
          answered.put(n, ctx);
          return n;
        })
        .build();
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .maxConnections(MAX_CONNECTIONS).addService(service.definition()).addService(watcher)
        .build().start();
  }

  @AfterEach
  void stop() throws Exception {
    service.gate.countDown();
    parked.values().forEach(f -> f.complete(0));
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
    return call(WAIT, xid);
  }

  private static byte[] call(Procedure<Integer, Integer> procedure, int xid) {
    return RawTcpPeer.call(xid, 2, PROGRAM, 1, procedure.number(), OpaqueAuth.NONE,
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

  @Test
  void aWatchRegisteredAfterItsCallWasAnsweredDoesNotMakeARunningCallLookWatched() throws Exception {
    // The first connection: a call answered, whose context a late callback then watches, and a
    // call that runs, watching nothing. Before, the late registration stayed and counted, so
    // the connection looked as if its every call watched and was closed under its running call.
    RawTcpPeer running = peer(FIRST, call(ANSWER, 1));
    assertEquals(ReplyHeader.accepted(1, RpcStatus.SUCCESS), running.readReply());
    answered.get(1).onConnectionClosed(() -> { });
    running.sendRecord(call(PARK, 2));
    Await.until(() -> parked.containsKey(2));
    for (int i = 3; i <= MAX_CONNECTIONS + 1; i++) { // the other places: calls that run too
      peer(i <= 7 ? FIRST : SECOND, call(PARK, i));
      int xid = i;
      Await.until(() -> parked.containsKey(xid));
    }
    assertEquals(MAX_CONNECTIONS, server.connections());

    try (RawTcpPeer newcomer = new RawTcpPeer(server.port())) {
      assertTrue(newcomer.closedByPeer(), "every connection has a call that runs: refused");
    }
    assertEquals(1, server.stats().rejectedConnections());
    parked.get(2).complete(2);
    assertEquals(ReplyHeader.accepted(2, RpcStatus.SUCCESS), running.readReply(),
        "the connection whose call ran stayed, and gets its reply");
  }
}
