package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.tls.TestCertificates;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * TCP connections with a thread each ({@link TcpIo#DEDICATED_THREAD}): where procedures run,
 * what the reader enforces before it buffers, {@code maxConnections}, and that every thread ends
 * with the server.
 */
class DedicatedTcpThreadTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int PROGRAM = 0x20000778;
  private static final Procedure<Void, String> THREAD =
      new Procedure<>(PROGRAM, 1, 1, "Where.thread", XdrCodecs.VOID, XdrCodecs.STRING);
  private static final Procedure<Integer, Integer> HELD =
      new Procedure<>(PROGRAM, 1, 2, "Where.held", XdrCodecs.INT, XdrCodecs.INT);
  private static final Procedure<Integer, Integer> LATER =
      new Procedure<>(PROGRAM, 1, 4, "Where.later", XdrCodecs.INT, XdrCodecs.INT);
  private static final Procedure<Integer, Integer> SLOT =
      new Procedure<>(PROGRAM, 1, 5, "Where.slot", XdrCodecs.INT, XdrCodecs.INT);
  private static final Procedure<Integer, byte[]> BYTES =
      new Procedure<>(PROGRAM, 1, 3, "Where.bytes", XdrCodecs.INT, XdrCodecs.OPAQUE);

  @TempDir Path dir;
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CompletableFuture<Integer> later = new CompletableFuture<>();
  private final java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
  private final List<CompletableFuture<Integer>> slots =
      List.of(new CompletableFuture<>(), new CompletableFuture<>());

  @AfterEach
  void noThreadLeft() {
    release.countDown();
    Await.until(() -> tcpThreads() == 0);
  }

  private ServiceDefinition where() {
    return ServiceDefinition.builder(PROGRAM, 1)
        .procedure(THREAD, (v, ctx) -> Thread.currentThread().getName())
        .procedure(HELD, (n, ctx) -> {
          entered.countDown();
          release.await();
          return n;
        })
        .procedure(BYTES, (n, ctx) -> new byte[n])
        .asyncProcedure(SLOT, (n, ctx) -> {
          starts.incrementAndGet();
          return slots.get(n);
        })
        .asyncProcedure(LATER, (n, ctx) -> {
          entered.countDown();
          return later;
        })
        .build();
  }

  private RpcServerBuilder server() {
    return RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.TCP)
        .directory(Directory.none()).tcpIo(TcpIo.DEDICATED_THREAD).directExecutor()
        .addService(where()).addService(new TestService().definition());
  }

  private static RpcClient client(int port) {
    return RpcClient.builder().address(new InetSocketAddress(LOOPBACK, port))
        .transport(Transport.TCP).ioStrategy(IoStrategy.CALLER_RUNS).timeout(TIMEOUT).build();
  }

  private static long tcpThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(BlockingTcpConnection.THREAD_PREFIX)).count();
  }

  private static long acceptors() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(BlockingTcpListener.ACCEPTOR_PREFIX)).count();
  }

  private static byte[] echoCall(int xid) {
    // ECHO of the empty string: its XDR is a zero length.
    return RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, 2, OpaqueAuth.NONE, new byte[4]);
  }

  @Test
  void withDirectExecutorAProcedureRunsOnTheConnectionsOwnThread() throws Exception {
    try (RpcServer server = server().build().start(); RpcClient client = client(server.port())) {
      String name = client.call(THREAD, null);
      assertTrue(name.startsWith(BlockingTcpConnection.THREAD_PREFIX + "127.0.0.1:"), name);
      assertEquals(name, client.call(THREAD, null), "one connection, one thread");
      assertEquals("hi", client.call(TestService.ECHO, "hi"));
    }
  }

  @Test
  void callsPipelinedInOneWriteAreAllAnswered() throws Exception {
    try (RpcServer server = server().build().start(); RawTcpPeer peer = new RawTcpPeer(server.port())) {
      java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
      for (int xid = 1; xid <= 50; xid++) {
        byte[] call = echoCall(xid);
        both.write(new byte[] {(byte) 0x80, 0, 0, (byte) call.length});
        both.write(call);
      }
      peer.sendRaw(both.toByteArray());
      for (int xid = 1; xid <= 50; xid++) {
        assertEquals(xid, peer.readReply().xid());
      }
    }
  }

  @Test
  void aRecordOverTheMaximumClosesTheConnectionAtItsMark() throws Exception {
    try (RpcServer server = server().maxRecordBytes(1024).build().start();
        RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.timeout(10_000);
      peer.writeInt(0x8000_0000 | 1025); // none of its bytes follow: closed on the mark alone
      assertTrue(peer.closedByPeer());
    }
  }

  @Test
  void aRecordOfTooManyFragmentsClosesTheConnection() throws Exception {
    try (RpcServer server = server().maxFragmentsPerRecord(2).build().start();
        RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.timeout(10_000);
      for (int i = 0; i < 3; i++) {
        peer.writeInt(0); // an empty fragment, not the last
      }
      assertTrue(peer.closedByPeer());
    }
  }

  @Test
  void aCallThenAHalfCloseIsAnsweredAndTheConnectionClosed() throws Exception {
    try (RpcServer server = server().build().start(); RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.timeout(10_000);
      peer.sendRecord(echoCall(7));
      peer.shutdownOutput();
      assertEquals(7, peer.readReply().xid());
      assertTrue(peer.closedByPeer());
      Await.until(() -> tcpThreads() == 0);
    }
  }

  @Test
  void anAsynchronousCallInFlightAtAHalfCloseIsAnsweredBeforeTheClose() throws Exception {
    try (RpcServer server = server().build().start(); RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.timeout(10_000);
      peer.sendRecord(RawTcpPeer.call(11, 2, PROGRAM, 1, 4, OpaqueAuth.NONE, new byte[] {0, 0, 0, 3}));
      peer.shutdownOutput();
      entered.await();
      later.complete(3);
      assertEquals(11, peer.readReply().xid());
      assertTrue(peer.closedByPeer());
    }
  }

  @Test
  void atThePerConnectionMaximumTheNextCallWaitsForOneToFinish() throws Exception {
    try (RpcServer server = server().maxConcurrentCallsPerConnection(1).build().start();
        RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.timeout(10_000);
      java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
      for (int n = 0; n < 2; n++) {
        byte[] call = RawTcpPeer.call(20 + n, 2, PROGRAM, 1, 5, OpaqueAuth.NONE, new byte[] {0, 0, 0, (byte) n});
        both.write(new byte[] {(byte) 0x80, 0, 0, (byte) call.length});
        both.write(call);
      }
      peer.sendRaw(both.toByteArray());
      Await.until(() -> server.openConnections().waitingRecords() == 1);
      assertEquals(1, starts.get(), "the second call waits for the first");
      slots.get(0).complete(0);
      assertEquals(20, peer.readReply().xid());
      Await.until(() -> starts.get() == 2);
      slots.get(1).complete(1);
      assertEquals(21, peer.readReply().xid());
    }
  }

  @Test
  void aNewcomerAtMaxConnectionsTakesTheIdleConnectionsPlace() throws Exception {
    try (RpcServer server = server().maxConnections(1).build().start();
        RawTcpPeer idle = new RawTcpPeer(server.port())) {
      idle.timeout(10_000);
      idle.sendRecord(echoCall(1));
      assertEquals(1, idle.readReply().xid()); // admitted before the newcomer comes
      Await.until(() -> server.openConnections().evictable() == 1); // its call counted out
      try (RawTcpPeer newcomer = new RawTcpPeer(server.port())) {
        assertTrue(idle.closedByPeer(), "the idle connection makes room");
        newcomer.sendRecord(echoCall(2));
        assertEquals(2, newcomer.readReply().xid());
        Await.until(() -> tcpThreads() == 1);
      }
    }
  }

  @Test
  void aNewcomerAtMaxConnectionsIsRefusedWhileEveryConnectionHasACallInFlight() throws Exception {
    try (RpcServer server = server().maxConnections(1).build().start();
        RawTcpPeer busy = new RawTcpPeer(server.port())) {
      busy.timeout(10_000);
      busy.sendRecord(RawTcpPeer.call(9, 2, PROGRAM, 1, 2, OpaqueAuth.NONE, new byte[] {0, 0, 0, 5}));
      entered.await();
      try (RawTcpPeer newcomer = new RawTcpPeer(server.port())) {
        newcomer.timeout(10_000);
        assertTrue(newcomer.closedByPeer());
      }
      release.countDown();
      assertEquals(9, busy.readReply().xid());
      assertEquals(1, tcpThreads());
    }
  }

  @Test
  void theConnectionQuietLongestMakesRoomAndTheOtherKeepsItsPlace() throws Exception {
    try (RpcServer server = server().maxConnections(2).build().start();
        RawTcpPeer older = new RawTcpPeer(server.port());
        RawTcpPeer newer = new RawTcpPeer(server.port())) {
      older.timeout(10_000);
      older.sendRecord(echoCall(1));
      assertEquals(1, older.readReply().xid());
      newer.sendRecord(echoCall(2));
      assertEquals(2, newer.readReply().xid());
      Await.until(() -> server.openConnections().evictable() == 2);
      try (RawTcpPeer newcomer = new RawTcpPeer(server.port())) {
        assertTrue(older.closedByPeer());
        newcomer.sendRecord(echoCall(3));
        assertEquals(3, newcomer.readReply().xid());
      }
      newer.sendRecord(echoCall(4));
      assertEquals(4, newer.readReply().xid());
    }
  }

  @Test
  void closingTheServerEndsTheAcceptorAndEveryConnectionsThread() throws Exception {
    RpcServer server = server().build().start();
    List<RawTcpPeer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        RawTcpPeer peer = new RawTcpPeer(server.port());
        peers.add(peer);
        peer.sendRecord(echoCall(i));
        peer.readReply();
      }
      assertEquals(3, tcpThreads());
      assertEquals(1, acceptors());
    } finally {
      server.close();
    }
    Await.until(() -> tcpThreads() == 0 && acceptors() == 0);
    for (RawTcpPeer peer : peers) {
      peer.timeout(10_000);
      assertTrue(peer.closedByPeer());
      peer.close();
    }
  }

  @Test
  void aCallInFlightAtShutdownIsAnsweredAndAnIdleConnectionRefusesCalls() throws Exception {
    RpcServer server = server().build().start();
    try (RawTcpPeer busy = new RawTcpPeer(server.port());
        RawTcpPeer idle = new RawTcpPeer(server.port())) {
      busy.timeout(10_000);
      idle.timeout(10_000);
      idle.sendRecord(echoCall(1));
      idle.readReply();
      busy.sendRecord(RawTcpPeer.call(9, 2, PROGRAM, 1, 2, OpaqueAuth.NONE, new byte[] {0, 0, 0, 5}));
      entered.await();
      CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(
          () -> server.shutdown(TIMEOUT), Executors.newSingleThreadExecutor());
      Await.until(server::draining);
      // Kept open while the drain lasts: a call sent on it is refused, not run nor lost.
      idle.sendRecord(echoCall(2));
      ReplyHeader refused = idle.readReply();
      assertEquals(2, refused.xid());
      assertEquals(RpcStatus.PROG_UNAVAIL, refused.status());
      idle.shutdownOutput(); // its client closes its end: the server closes its own
      assertTrue(idle.closedByPeer());
      release.countDown();
      ReplyHeader reply = busy.readReply();
      assertEquals(9, reply.xid());
      assertTrue(shutdown.get());
      assertTrue(busy.closedByPeer());
    } finally {
      server.close();
    }
  }

  @Test
  void aRecordThatStopsArrivingIsClosedAtTheRecordTimeout() throws Exception {
    try (RpcServer server = server().recordTimeout(Duration.ofMillis(200)).build().start();
        RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.timeout(10_000);
      peer.writeInt(0x8000_0000 | 100);
      peer.writeInt(0); // 8 of its 104 bytes, and no more
      assertTrue(peer.closedByPeer());
    }
  }

  /**
   * The idle clock runs from the accept: on a loaded machine more than 200 ms may pass between
   * connecting and sending the call, and the connection was then closed before its call was read
   * (the reply's read failed). The call is AT_LEAST_ONCE, so such a close sends it again on a
   * new connection: what is tested is the close of a connection quiet since its reply.
   */
  @Test
  void aCallReadWithPartOfTheNextIsAnsweredAndThatPartTimedFromThen() throws Exception {
    try (RpcServer server = server().recordTimeout(Duration.ofMillis(200)).build().start();
        RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.timeout(10_000);
      byte[] call = echoCall(1);
      java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
      both.write(new byte[] {(byte) 0x80, 0, 0, (byte) call.length});
      both.write(call);
      both.write(new byte[] {(byte) 0x80, 0, 0, 100, 0, 0, 0, 0}); // 8 of 104 bytes, no more
      peer.sendRaw(both.toByteArray());
      assertEquals(1, peer.readReply().xid());
      assertTrue(peer.closedByPeer()); // the part read behind the call, at the record timeout
    }
  }

  @Test
  void aConnectionQuietPastTheIdleTimeoutIsClosed() throws Exception {
    try (RpcServer server = server().idleTimeout(Duration.ofMillis(200)).build().start();
        RpcClient client = client(server.port())) {
      assertEquals("hi", client.call(TestService.ECHO, "hi",
          CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE)));
      Await.until(() -> server.connections() == 0 && tcpThreads() == 0);
    }
  }

  @Test
  void aRecordHeldBehindARunningProcedureIsNotTimedMeanwhile() throws Exception {
    try (RpcServer server = server().recordTimeout(Duration.ofMillis(200)).build().start();
        RawTcpPeer held = new RawTcpPeer(server.port());
        RawTcpPeer trickler = new RawTcpPeer(server.port())) {
      held.timeout(10_000);
      trickler.timeout(10_000);
      byte[] call = RawTcpPeer.call(9, 2, PROGRAM, 1, 2, OpaqueAuth.NONE, new byte[] {0, 0, 0, 5});
      byte[] next = echoCall(10);
      java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
      both.write(new byte[] {(byte) 0x80, 0, 0, (byte) call.length});
      both.write(call);
      both.write(new byte[] {(byte) 0x80, 0, 0, (byte) next.length}); // read with the call
      held.sendRaw(both.toByteArray());
      entered.await();
      // A record begun after the held one's, that nobody holds up: once it is closed, the held
      // one has waited longer than the record timeout.
      trickler.writeInt(0x8000_0000 | 100);
      assertTrue(trickler.closedByPeer());
      release.countDown();
      assertEquals(9, held.readReply().xid());
      held.sendRaw(next);
      assertEquals(10, held.readReply().xid());
    }
  }

  @Test
  void aPeerThatDoesNotReadALargeReplyIsClosedWhenTheUnreadRepliesBudgetIsSpent() throws Exception {
    try (RpcServer server = server().maxBufferedBytes(1 << 20).build().start();
        RawTcpPeer greedy = new RawTcpPeer(server.port())) {
      // 4 MiB, more than the kernel's buffers take: the reply waits for a peer that never reads.
      greedy.sendRecord(RawTcpPeer.call(5, 2, PROGRAM, 1, 3, OpaqueAuth.NONE,
          new byte[] {0, 0x40, 0, 0}));
      Await.until(() -> server.unreadReplyBytesPeak() >= 4 << 20); // charged while it waits
      Await.until(() -> tcpThreads() == 0); // closed, the budget being spent
      assertEquals(0, server.unreadReplyBytes());
    }
  }

  @Test
  void aLargeReplyTakenByItsPeerIsGivenBackToTheBudget() throws Exception {
    try (RpcServer server = server().build().start(); RpcClient client = client(server.port())) {
      assertEquals(1 << 20, client.call(BYTES, 1 << 20).length);
      Await.until(() -> server.unreadReplyBytes() == 0); // given back once the write returns
      assertTrue(server.unreadReplyBytesPeak() >= 1 << 20);
    }
  }

  @Test
  void aConnectionHoldingPartOfARecordStopsReadingAtTheByteBudget() throws Exception {
    int budget = 64 * 1024;
    try (RpcServer server = server().maxBufferedBytes(budget).build().start();
        RawTcpPeer uploader = new RawTcpPeer(server.port());
        RawTcpPeer other = new RawTcpPeer(server.port(), LoopbackHosts.host("127.0.0.2"))) {
      other.timeout(10_000);
      CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
        try {
          uploader.writeInt(0x8000_0000 | 1 << 20);
          uploader.sendRaw(new byte[512 * 1024]); // half of it: more than the kernel's buffers take
        } catch (IOException e) {
          // closed at the end of the test, while it waits for room
        }
      });
      Await.until(() -> server.bufferedBytes() >= budget);
      Await.until(() -> server.openConnections().starved() == 1); // counted as an event loop's
      other.sendRecord(echoCall(1)); // another client's whole call is read all the same
      assertEquals(1, other.readReply().xid());
      long held = server.bufferedBytes();
      assertTrue(held <= budget + BlockingRecordReader.MAX_READ_BYTES, held + " bytes held");
      server.close(); // wakes the waiting reader, which gives back what it held
      assertEquals(0, server.bufferedBytes());
      uploader.close();
      upload.join();
    }
  }

  @Test
  void tlsWithDedicatedThreadsIsRefusedAtBuild() throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    TestCertificates.KeyPair key = certs.server(certs.authority("ca"), "localhost", "DNS:localhost");
    RpcServerBuilder builder = server().tls(SslContextBuilder.forServer(key.certificate(), key.key())
        .build(), TlsMode.OFFER);
    IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
    assertTrue(e.getMessage().contains("plaintext TCP only"), e.getMessage());
  }
}
