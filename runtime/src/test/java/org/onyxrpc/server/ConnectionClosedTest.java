package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * {@link CallContext#onConnectionClosed}: an asynchronous procedure whose call waits hears, once,
 * that its peer went (closed, reset, or shut its side); not after its call was answered, not over
 * UDP; and at once if it asks after the close.
 */
class ConnectionClosedTest {
  private static final int PROGRAM = 0x20000177;
  /** Parks until the test completes it; registers a watcher that counts per argument. */
  private static final Procedure<Integer, Integer> PARK =
      new Procedure<>(PROGRAM, 1, 1, "Watch.park", XdrCodecs.INT, XdrCodecs.INT);

  private final Map<Integer, CompletableFuture<Integer>> parked = new ConcurrentHashMap<>();
  private final Map<Integer, CallContext> contexts = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> fired = new ConcurrentHashMap<>();
  private final CountDownLatch anyFired = new CountDownLatch(1);
  private RpcServer server;

  private ServiceDefinition service() {
    return ServiceDefinition.builder(PROGRAM, 1)
        .asyncProcedure(PARK, (n, ctx) -> {
          AtomicInteger count = fired.computeIfAbsent(n, k -> new AtomicInteger());
          ctx.onConnectionClosed(() -> {
            count.incrementAndGet();
            anyFired.countDown();
          });
          CompletableFuture<Integer> reply = new CompletableFuture<>();
          parked.put(n, reply);
          contexts.put(n, ctx);
          return reply;
        })
        .build();
  }

  private void start(Transport... transports) throws Exception {
    RpcServerBuilder b = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).addService(service());
    if (transports.length > 0) {
      b.transports(transports[0]);
    }
    server = b.build().start();
  }

  @AfterEach
  void stop() {
    parked.values().forEach(f -> f.complete(0));
    if (server != null) {
      server.close();
    }
  }

  private static byte[] park(int xid) {
    return RawTcpPeer.call(xid, PROGRAM, 1, PARK.number(), OpaqueAuth.NONE,
        ByteBuffer.allocate(4).putInt(xid).array());
  }

  @Test
  void aParkedCallHearsOnceThatItsConnectionClosedAndAnAnsweredOneDoesNot() throws Exception {
    start();
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.sendRecord(park(1));
      Await.until(() -> parked.containsKey(1));
      peer.sendRecord(park(2)); // registers after 1: its watcher would run first
      Await.until(() -> parked.containsKey(2));
      parked.get(1).complete(10); // answered: its watcher goes with the call
      assertEquals(RpcStatus.SUCCESS, peer.readReply().status());
      peer.reset();
    }
    assertTrue(anyFired.await(30, TimeUnit.SECONDS), "the parked call was told");
    // Both watchers were in one list, run in one go when the connection closed.
    assertEquals(1, fired.get(2).get());
    assertEquals(0, fired.get(1).get(), "the answered call's watcher never runs");
    assertTrue(contexts.get(2).connection().isClosed());
    contexts.get(2).connection().close(); // a second close runs nothing again
    assertEquals(1, fired.get(2).get());
  }

  @Test
  void aWatcherRegisteredAfterTheCloseRunsAtOnceOnItsOwnThread() throws Exception {
    start();
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.sendRecord(park(1));
      Await.until(() -> parked.containsKey(1));
    }
    assertTrue(anyFired.await(30, TimeUnit.SECONDS));
    Thread[] ranOn = new Thread[1];
    contexts.get(1).onConnectionClosed(() -> ranOn[0] = Thread.currentThread());
    assertSame(Thread.currentThread(), ranOn[0]);
  }

  @Test
  void aPeerThatShutsItsSideIsTakenForGoneAndStillGetsAReplySentAllTheSame() throws Exception {
    start();
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.sendRecord(park(1));
      Await.until(() -> parked.containsKey(1));
      peer.shutdownOutput(); // what an exiting process's FIN looks like, too
      assertTrue(anyFired.await(30, TimeUnit.SECONDS));
      assertTrue(contexts.get(1).connection().isClosed());
      parked.get(1).complete(11);
      assertEquals(RpcStatus.SUCCESS, peer.readReply().status());
      assertTrue(peer.closedByPeer()); // closed by the server, once its last call was answered
    }
    assertEquals(1, fired.get(1).get());
  }

  @Test
  void udpCallsHaveNoConnectionToWatch() throws Exception {
    start(Transport.UDP);
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
        .transport(Transport.UDP).timeout(Duration.ofSeconds(20)).build()) {
      CompletableFuture<Integer> call = client.callAsync(PARK, 7,
          CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE));
      Await.until(() -> parked.containsKey(7));
      CallConnection connection = contexts.get(7).connection();
      assertSame(CallConnection.none(), connection);
      connection.close(); // nothing closes it, and closing it would run nothing
      assertFalse(connection.isClosed());
      parked.get(7).complete(14);
      assertEquals(14, call.get(30, TimeUnit.SECONDS));
    }
    assertEquals(0, fired.get(7).get());
  }

  @Test
  void aConnectionRunsEachWatcherOnceAndNoneOfAnEndedCall() {
    CallConnection connection = CallConnection.open();
    CallContext answered = context(connection);
    CallContext waiting = context(connection);
    int answeredSlot = connection.callStarted(answered);
    connection.callStarted(waiting);
    AtomicInteger answeredRuns = new AtomicInteger();
    AtomicInteger waitingRuns = new AtomicInteger();
    answered.onConnectionClosed(answeredRuns::incrementAndGet);
    waiting.onConnectionClosed(waitingRuns::incrementAndGet);
    waiting.onConnectionClosed(waitingRuns::incrementAndGet);
    connection.callEnded(answered, answeredSlot);
    connection.close();
    connection.close();
    assertEquals(0, answeredRuns.get());
    assertEquals(2, waitingRuns.get(), "each of its two watchers, once");
    waiting.onConnectionClosed(waitingRuns::incrementAndGet);
    assertEquals(3, waitingRuns.get(), "after the close: at once");
  }

  @Test
  void aWatchRegisteredAfterItsCallEndedIsIgnoredAndNotCounted() {
    CallConnection connection = CallConnection.open();
    CallContext answered = context(connection);
    CallContext running = context(connection);
    connection.callEnded(answered, connection.callStarted(answered));
    connection.callStarted(running);
    AtomicInteger lateRuns = new AtomicInteger();
    answered.onConnectionClosed(lateRuns::incrementAndGet); // a callback, after the answer
    assertEquals(0, connection.watchedCalls(), "the running call alone could look watched by it");
    running.onConnectionClosed(() -> { });
    assertEquals(1, connection.watchedCalls(), "the running call's own watch counts");
    connection.close();
    assertEquals(0, lateRuns.get(), "the late registration was never made");
    answered.onConnectionClosed(lateRuns::incrementAndGet);
    assertEquals(0, lateRuns.get(), "after the close, nor does it run at once");
  }

  @Test
  void aCallThatStartsAndWatchesBetweenTheLimitersTwoReadsIsNotTakenForAHeldOne() {
    CallConnection connection = CallConnection.open();
    HeldCalls held = new HeldCalls();
    CallContext unwatched = context(connection);
    held.set(1);
    connection.callStarted(unwatched);
    CallContext newcomer = context(connection);
    // The limiter has read one call held; now the event loop takes another, whose procedure
    // watches, before the limiter reads how many calls watch.
    boolean onlyWatching = held.allWatched(() -> {
      held.set(2);
      connection.callStarted(newcomer);
      newcomer.onConnectionClosed(() -> { });
      return connection.watchedCalls();
    });
    assertFalse(onlyWatching, "the held call that runs, unwatched, is still there");
    assertFalse(held.allWatched(connection::watchedCalls));
    unwatched.onConnectionClosed(() -> { });
    assertTrue(held.allWatched(connection::watchedCalls), "both watch");
  }

  @Test
  void anActionOnTheConnectionOutlivesTheCallThatAddedItUntilRemoved() throws Exception {
    start();
    AtomicInteger kept = new AtomicInteger();
    AtomicInteger removed = new AtomicInteger();
    Runnable removedAction = removed::incrementAndGet;
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.sendRecord(park(1));
      Await.until(() -> parked.containsKey(1));
      CallConnection connection = contexts.get(1).connection();
      Runnable keptAction = kept::incrementAndGet;
      connection.onClose(keptAction);
      connection.onClose(keptAction); // once only
      connection.onClose(removedAction);
      parked.get(1).complete(10); // the call ends; what it added to the connection stays
      assertEquals(RpcStatus.SUCCESS, peer.readReply().status());
      connection.removeOnClose(removedAction);
      assertEquals(0, kept.get());
    }
    Await.until(() -> kept.get() == 1);
    assertTrue(contexts.get(1).connection().isClosed());
    assertEquals(0, removed.get());
    contexts.get(1).connection().onClose(removed::incrementAndGet); // after the close: at once
    assertEquals(1, removed.get());
    CallConnection.none().onClose(kept::incrementAndGet);
    CallConnection.none().close();
    assertEquals(1, kept.get(), "a connection that never closes runs nothing");
  }

  @Test
  void aContextMadeByHandNeverCloses() {
    CallContext made = new CallContext(1, PROGRAM, 1, 1, org.onyxrpc.rpc.Credentials.NONE,
        new java.net.InetSocketAddress(0), Transport.TCP);
    AtomicInteger runs = new AtomicInteger();
    made.onConnectionClosed(runs::incrementAndGet);
    made.connection().close();
    assertSame(CallConnection.none(), made.connection());
    assertEquals(0, runs.get());
  }

  private static CallContext context(CallConnection connection) {
    return new CallContext(1, PROGRAM, 1, 1, org.onyxrpc.rpc.Credentials.NONE,
        new java.net.InetSocketAddress(0), Transport.TCP, false, java.util.List.of(),
        java.util.Optional.empty(), connection);
  }
}
