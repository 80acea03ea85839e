package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The replies of {@link TcpIo#DEDICATED_THREAD}'s connections made off their reading threads
 * ({@link ConnectionWriter}): order, charges to the unread-replies budget, workers never held by
 * a peer that does not read, and the writer threads' end.
 */
class DedicatedTcpWriterTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int PROGRAM = 0x20000779;
  private static final Procedure<Integer, byte[]> BYTES =
      new Procedure<>(PROGRAM, 1, 1, "Writer.bytes", XdrCodecs.INT, XdrCodecs.OPAQUE);
  private static final Procedure<Integer, Integer> LATER =
      new Procedure<>(PROGRAM, 1, 2, "Writer.later", XdrCodecs.INT, XdrCodecs.INT);
  private static final Procedure<Integer, Integer> SLOT =
      new Procedure<>(PROGRAM, 1, 3, "Writer.slot", XdrCodecs.INT, XdrCodecs.INT);
  /** Under {@link BlockingTcpConnection#CHARGED_REPLY_BYTES}: not charged up front. */
  private static final int SMALL_REPLY = 60 * 1024;

  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final ExecutorService foreign = Executors.newSingleThreadExecutor();
  private final CompletableFuture<Integer> slot = new CompletableFuture<>();

  @AfterEach
  void noThreadLeft() {
    slot.complete(0);
    Await.until(() -> threads(BlockingTcpConnection.THREAD_PREFIX) == 0);
    pool.shutdownNow();
    foreign.shutdownNow();
  }

  private ServiceDefinition service() {
    return ServiceDefinition.builder(PROGRAM, 1)
        .procedure(BYTES, (n, ctx) -> new byte[n])
        .asyncProcedure(LATER, (n, ctx) -> CompletableFuture.supplyAsync(() -> n + 1, foreign))
        .asyncProcedure(SLOT, (n, ctx) -> slot)
        .build();
  }

  private RpcServerBuilder server() {
    return RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.TCP)
        .directory(Directory.none()).tcpIo(TcpIo.DEDICATED_THREAD)
        .addService(service()).addService(new TestService().definition());
  }

  /** Threads whose names begin with {@code prefix}: readers, writers, acceptors. */
  private static long threads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix)).count();
  }

  private static long readers() {
    return threads(BlockingTcpConnection.THREAD_PREFIX) - threads(ConnectionWriter.WRITER_PREFIX);
  }

  private static byte[] echoCall(int xid) {
    // ECHO of the empty string: its XDR is a zero length.
    return RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, 2, OpaqueAuth.NONE, new byte[4]);
  }

  private static byte[] bytesCall(int xid, int n) {
    return RawTcpPeer.call(xid, 2, PROGRAM, 1, 1, OpaqueAuth.NONE,
        new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
  }

  /** The calls as records in one write: the server reads them as fast as it likes. */
  private static void pipeline(RawTcpPeer peer, List<byte[]> calls) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(all);
    for (byte[] call : calls) {
      out.writeInt(0x8000_0000 | call.length);
      out.write(call);
    }
    peer.sendRaw(all.toByteArray());
  }

  @Test
  void aWorkerPoolsRepliesArriveInTheOrderTheyWereMadeOverOneConnection() throws Exception {
    // One call at a time: each reply is handed over before the next call starts, on any of the
    // workers, or, for the procedures the server does not have, on the reading thread itself,
    // which must queue behind the workers' replies rather than write past them.
    try (RpcServer server = server().executor(pool).maxConcurrentCallsPerConnection(1).build().start();
        RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.timeout(10_000);
      List<byte[]> calls = new ArrayList<>();
      for (int xid = 1; xid <= 300; xid++) {
        calls.add(xid % 3 == 0
            ? RawTcpPeer.call(xid, 2, PROGRAM, 1, 99, OpaqueAuth.NONE, new byte[0]) // PROC_UNAVAIL
            : echoCall(xid));
      }
      pipeline(peer, calls);
      for (int xid = 1; xid <= 300; xid++) {
        var reply = peer.readReply();
        assertEquals(xid, reply.xid());
        assertEquals(xid % 3 == 0 ? RpcStatus.PROC_UNAVAIL : RpcStatus.SUCCESS, reply.status());
      }
      assertEquals(1, threads(ConnectionWriter.WRITER_PREFIX), "the workers' replies had a writer");
    }
  }

  @Test
  void anAsynchronousProcedureCompletedByAForeignThreadIsAnswered() throws Exception {
    for (boolean direct : new boolean[] {true, false}) {
      RpcServerBuilder builder = direct ? server().directExecutor() : server().executor(pool);
      try (RpcServer server = builder.build().start();
          RpcClient client = RpcClient.builder().address(new InetSocketAddress(LOOPBACK, server.port()))
              .transport(Transport.TCP).ioStrategy(IoStrategy.CALLER_RUNS).timeout(TIMEOUT).build()) {
        for (int n = 0; n < 20; n++) {
          assertEquals(n + 1, client.call(LATER, n));
        }
      }
    }
  }

  @Test
  void aPeerThatNeverReadsIsClosedByTheBudgetWhileTheWorkerAnswersOthers() throws Exception {
    ExecutorService one = Executors.newSingleThreadExecutor(); // held by one blocked write, it serves nobody
    try (RpcServer server = server().executor(one).maxBufferedBytes(16 << 20).build().start();
        RawTcpPeer greedy = new RawTcpPeer(server.port());
        RawTcpPeer other = new RawTcpPeer(server.port(), LoopbackHosts.host("127.0.0.2"))) {
      other.timeout(10_000);
      List<byte[]> calls = new ArrayList<>();
      for (int xid = 1; xid <= 1000; xid++) {
        calls.add(bytesCall(xid, SMALL_REPLY)); // 60 MiB of replies, never read
      }
      pipeline(greedy, calls);
      // More than the kernel's buffers take: replies queued behind those the peer leaves.
      Await.until(() -> server.unreadReplyBytes() >= 8 << 20);
      other.sendRecord(echoCall(1)); // the one worker is free meanwhile
      assertEquals(1, other.readReply().xid());
      Await.until(() -> readers() == 1); // the greedy one closed by the spent budget
      Await.until(() -> server.unreadReplyBytes() == 0); // every charge given back
      assertTrue(server.unreadReplyBytesPeak() >= 16 << 20);
      other.sendRecord(echoCall(2));
      assertEquals(2, other.readReply().xid());
    } finally {
      one.shutdownNow();
    }
  }

  @Test
  void manyConnectionsEachLeavingASmallReplyUnreadSpendTheBudget() throws Exception {
    int budget = 256 * 1024; // four of the six replies below
    int peers = 6;
    for (boolean direct : new boolean[] {true, false}) {
      RpcServerBuilder builder = direct ? server().directExecutor() : server().executor(pool);
      List<RawTcpPeer> greedy = new ArrayList<>();
      // A short record timeout: the connections' timers look often at the writes under way.
      try (RpcServer server = builder.maxBufferedBytes(budget).recordTimeout(Duration.ofMillis(400))
          .build().start()) {
        for (int i = 0; i < peers; i++) {
          greedy.add(new RawTcpPeer(server.port(), LoopbackHosts.host("127.0.0." + (i + 1))));
        }
        Await.until(() -> readers() == peers); // all admitted
        List<byte[]> calls = new ArrayList<>();
        for (int xid = 1; xid <= 200; xid++) {
          calls.add(bytesCall(xid, SMALL_REPLY)); // 12 MiB each, more than the kernel takes
        }
        for (RawTcpPeer peer : greedy) {
          pipeline(peer, calls);
        }
        Await.until(() -> readers() < peers); // the greediest closed
        assertTrue(server.unreadReplyBytesPeak() >= budget, server.unreadReplyBytesPeak() + " bytes");
      } finally {
        for (RawTcpPeer peer : greedy) {
          peer.close();
        }
      }
    }
  }

  @Test
  void aRecordWaitingForACallSlotIsChargedToTheByteBudget() throws Exception {
    try (RpcServer server = server().directExecutor().maxConcurrentCallsPerConnection(1).build().start();
        RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.timeout(10_000);
      byte[] first = RawTcpPeer.call(1, 2, PROGRAM, 1, 3, OpaqueAuth.NONE, new byte[4]);
      byte[] second = bytesCall(2, 4);
      peer.sendRecord(first);
      Await.until(() -> server.openConnections().evictable() == 0 && server.bufferedBytes() == 0);
      peer.sendRecord(second);
      Await.until(() -> server.openConnections().waitingRecords() == 1);
      assertTrue(server.bufferedBytes() >= second.length, server.bufferedBytes() + " bytes held");
      slot.complete(7);
      assertEquals(1, peer.readReply().xid());
      assertEquals(2, peer.readReply().xid());
      Await.until(() -> server.bufferedBytes() == 0);
    }
  }

  @Test
  void aReplyStillQueuedWhenTheServerShutsDownIsWrittenBeforeTheClose() throws Exception {
    RpcServer server = server().executor(pool).maxBufferedBytes(64 << 20).build().start();
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.timeout(10_000);
      peer.sendRecord(bytesCall(1, 8 << 20));
      // Charged as it is queued: its call is over, its reply left to the writer, which waits for
      // a peer that has not read yet.
      Await.until(() -> server.unreadReplyBytes() >= 8 << 20);
      CompletableFuture<Boolean> shutdown =
          CompletableFuture.supplyAsync(() -> server.shutdown(TIMEOUT), foreign);
      byte[] reply = peer.readRecord(); // whole, not cut short by the close
      assertEquals(1, java.nio.ByteBuffer.wrap(reply).getInt());
      assertTrue(reply.length > 8 << 20, reply.length + " bytes");
      assertTrue(shutdown.get(), "the drain waited for the reply, not for longer");
      assertTrue(peer.closedByPeer());
    } finally {
      server.close();
    }
  }

  @Test
  void closingTheServerEndsEveryReaderWriterAndAcceptor() throws Exception {
    RpcServer server = server().executor(pool).build().start();
    List<RawTcpPeer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        RawTcpPeer peer = new RawTcpPeer(server.port());
        peers.add(peer);
        peer.sendRecord(echoCall(i));
        assertEquals(i, peer.readReply().xid());
      }
      assertEquals(3, threads(ConnectionWriter.WRITER_PREFIX));
      assertEquals(3, readers());
    } finally {
      server.close();
    }
    Await.until(() -> threads(BlockingTcpConnection.THREAD_PREFIX) == 0
        && threads(BlockingTcpListener.ACCEPTOR_PREFIX) == 0);
    for (RawTcpPeer peer : peers) {
      peer.close();
    }
  }
}
