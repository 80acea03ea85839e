package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;

/**
 * Many peers from two hosts pipeline calls with large arguments behind a slow procedure, against
 * small budgets for records and for decoded arguments and a small per-connection call limit,
 * while some of them reset their connections in the middle of a record: every call gets its reply
 * (or a truthful SYSTEM_ERR when there was no room to decode it), no connection is left unread,
 * and once the peers are gone the server holds nothing in any budget.
 */
@ExtendWith(LeakDetection.class)
class CrowdedBudgetsTest {
  private static final int PROGRAM = 0x20000209;
  /** The length of its opaque argument, once the gate opens. */
  private static final Procedure<byte[], Integer> SIZE =
      new Procedure<>(PROGRAM, 1, 1, "Crowded.size", XdrCodecs.OPAQUE, XdrCodecs.INT);
  private static final int PEERS_PER_HOST = 6;
  private static final int CALLS = 8;
  private static final Duration GIVE_UP = Duration.ofSeconds(8);

  private final CountDownLatch gate = new CountDownLatch(1);
  private final AtomicInteger started = new AtomicInteger();

  private ServiceDefinition sizes() {
    return ServiceDefinition.builder(PROGRAM, 1).procedure(SIZE, (bytes, ctx) -> {
      started.incrementAndGet();
      gate.await(10, TimeUnit.SECONDS); // the slow procedure every call piles up behind
      return bytes.length;
    }).build();
  }

  /** Call {@code xid}'s record: fragments of at most {@code fragment} bytes, with their marks. */
  private static byte[] record(int xid, int argumentBytes, int fragment) {
    byte[] opaque = ByteBuffer.allocate(4 + (argumentBytes + 3) / 4 * 4).putInt(argumentBytes).array();
    byte[] call = RawTcpPeer.call(xid, 2, PROGRAM, 1, 1, OpaqueAuth.NONE, opaque);
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    for (int at = 0; at < call.length; at += fragment) {
      int length = Math.min(fragment, call.length - at);
      boolean last = at + length == call.length;
      framed.writeBytes(ByteBuffer.allocate(4).putInt((last ? 0x8000_0000 : 0) | length).array());
      framed.write(call, at, length);
    }
    return framed.toByteArray();
  }

  /** A peer's calls: large arguments, some in several fragments; a leaver ends mid-record. */
  private static byte[] calls(int peer, boolean leaves) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < CALLS; i++) {
      int xid = peer * 100 + i;
      out.writeBytes(record(xid, (64 << 10) + (peer * 37 + i * 11_003) % (160 << 10),
          i % 3 == 0 ? 48 << 10 : Integer.MAX_VALUE));
    }
    if (leaves) {
      byte[] unfinished = record(peer * 100 + 99, 200 << 10, 64 << 10);
      out.write(unfinished, 0, unfinished.length / 2); // a fragment whole, the next begun
    }
    return out.toByteArray();
  }

  /** Reads a peer's replies until it has one per call; each must be SUCCESS or SYSTEM_ERR. */
  private static Set<Integer> replies(RawTcpPeer peer, int first, int count) throws IOException {
    Set<Integer> xids = new HashSet<>();
    while (xids.size() < count) {
      byte[] record = peer.readRecord();
      XdrReader in = new XdrReader(io.netty.buffer.Unpooled.wrappedBuffer(record));
      ReplyHeader reply = RpcMessages.readReply(in);
      assertTrue(reply.xid() >= first && reply.xid() < first + count, "xid " + reply.xid());
      assertTrue(xids.add(reply.xid()), "a second reply to " + reply.xid());
      assertTrue(reply.status() == RpcStatus.SUCCESS || reply.status() == RpcStatus.SYSTEM_ERR,
          reply.xid() + ": " + reply.status());
    }
    return xids;
  }

  @Test
  void everyCallEndsAndTheBudgetsEmptyOnceThePeersAreGone() throws Exception {
    ExecutorService runners = Executors.newFixedThreadPool(2);
    ExecutorService peers = Executors.newCachedThreadPool();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).executor(runners)
        .maxBufferedBytes(1 << 20).maxDecodedBytesInFlight(2 << 20).maxRecordBytes(1 << 20)
        .maxConcurrentCallsPerConnection(3).addService(sizes()).build().start()) {
      List<RawTcpPeer> opened = new ArrayList<>();
      List<CompletableFuture<?>> answered = new ArrayList<>();
      List<CompletableFuture<?>> left = new ArrayList<>();
      try {
        for (int p = 1; p <= 2 * PEERS_PER_HOST; p++) {
          InetAddress host = LoopbackHosts.host(p % 2 == 0 ? "127.0.0.2" : "127.0.0.3");
          RawTcpPeer peer = new RawTcpPeer(server.port(), host);
          opened.add(peer);
          boolean leaves = p % 3 == 0; // from both hosts
          byte[] bytes = calls(p, leaves);
          int first = p * 100;
          CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
              peer.sendRaw(bytes);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }, peers);
          if (leaves) {
            left.add(sent.thenRun(() -> {
              try {
                peer.reset(); // mid-record, with calls queued or waiting for a slot
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }));
          } else {
            answered.add(sent);
            answered.add(CompletableFuture.supplyAsync(() -> {
              try {
                return replies(peer, first, CALLS);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }, peers));
          }
        }
        // Calls pile up behind the procedure (the rest refused for want of room to decode them,
        // or held back by their connections' call limit), then it speeds up.
        Await.until(() -> server.queuedCalls() > 10, GIVE_UP);
        gate.countDown();
        CompletableFuture.allOf(left.toArray(CompletableFuture[]::new))
            .get(GIVE_UP.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture.allOf(answered.toArray(CompletableFuture[]::new))
            .get(GIVE_UP.toMillis(), TimeUnit.MILLISECONDS);
      } finally {
        gate.countDown();
        for (RawTcpPeer peer : opened) {
          peer.close();
        }
      }
      assertTrue(Await.within(() -> server.connections() == 0 && server.callsInFlight() == 0
          && server.bufferedBytes() == 0 && server.decodedBytesInFlight() == 0
          && server.unreadReplyBytes() == 0, GIVE_UP),
          "still held once the peers are gone: " + server.connections() + " connections, "
          + server.callsInFlight() + " calls, " + server.bufferedBytes() + " bytes of records, "
          + server.decodedBytesInFlight() + " of arguments, " + server.unreadReplyBytes()
          + " of replies");
    } finally {
      runners.shutdownNow();
      peers.shutdownNow();
    }
  }

  /**
   * A peer resets with calls queued for a runner (another peer's call holds it) and a record
   * half-assembled: dropping its calls after it gave back what it held must not charge its
   * records again. Before, the half record stayed charged to the server's budget for good.
   */
  @Test
  void aPeerThatResetsWithQueuedCallsAndHalfARecordLeavesNothingCharged() throws Exception {
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).executor(runner).addService(sizes()).build().start();
        RawTcpPeer holder = new RawTcpPeer(server.port());
        RawTcpPeer leaver = new RawTcpPeer(server.port(), LoopbackHosts.host("127.0.0.2"))) {
      holder.sendRaw(record(1, 16, Integer.MAX_VALUE));
      Await.until(() -> started.get() == 1, GIVE_UP); // the runner's only thread held
      leaver.sendRaw(record(2, 16, Integer.MAX_VALUE));
      leaver.sendRaw(record(3, 16, Integer.MAX_VALUE));
      Await.until(() -> server.queuedCalls() == 2, GIVE_UP); // behind the holder's call
      byte[] unfinished = record(4, 100 << 10, 64 << 10);
      leaver.sendRaw(java.util.Arrays.copyOf(unfinished, (64 << 10) + 4 + 100)); // a fragment, and more
      Await.until(() -> server.bufferedBytes() > 64 << 10, GIVE_UP);
      leaver.reset();
      Await.until(() -> server.stats().droppedQueuedCalls() == 2 && server.connections() == 1,
          GIVE_UP);
      gate.countDown();
      assertEquals(1, holder.readReply().xid());
      assertTrue(Await.within(() -> server.callsInFlight() == 0 && server.bufferedBytes() == 0,
          GIVE_UP), server.bufferedBytes() + " bytes of records still charged");
    } finally {
      runner.shutdownNow();
    }
  }

  /**
   * Several connections of one host send large calls at once, in small writes: together their
   * half-read records fill the host's share, and each waits for the others to give some back.
   */
  @Test
  void connectionsOfOneHostDoNotWaitForEachOthersHalfReadRecords() throws Exception {
    gate.countDown();
    int connections = 4;
    ExecutorService peers = Executors.newCachedThreadPool();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).maxBufferedBytes(1 << 20).maxRecordBytes(1 << 20)
        .addService(sizes()).build().start()) {
      List<CompletableFuture<Integer>> replies = new ArrayList<>();
      List<RawTcpPeer> opened = new ArrayList<>();
      try {
        for (int c = 0; c < connections; c++) {
          RawTcpPeer peer = new RawTcpPeer(server.port(), LoopbackHosts.host("127.0.0.2"));
          opened.add(peer);
          byte[] call = record(c, 400 << 10, Integer.MAX_VALUE);
          replies.add(CompletableFuture.supplyAsync(() -> {
            try {
              for (int at = 0; at < call.length; at += 8192) {
                peer.sendRaw(java.util.Arrays.copyOfRange(call, at, Math.min(call.length, at + 8192)));
              }
              return peer.readReply().xid();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }, peers));
        }
        for (int c = 0; c < connections; c++) {
          assertEquals(c, replies.get(c).get(GIVE_UP.toMillis(), TimeUnit.MILLISECONDS));
        }
      } finally {
        for (RawTcpPeer peer : opened) {
          peer.close();
        }
      }
    } finally {
      peers.shutdownNow();
    }
  }
}
