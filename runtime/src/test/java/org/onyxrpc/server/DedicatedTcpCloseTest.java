package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * How a TCP connection with a thread of its own ({@link TcpIo#DEDICATED_THREAD}) ends: lingering
 * after a malformed stream and after a shutdown's drain ({@link BlockingLinger}), so that the
 * peer reads its replies and an end of stream, not a reset; and a peer that stops taking its
 * reply during the drain closed without it ({@link StalledWriteClose}).
 */
class DedicatedTcpCloseTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int GARBAGE_MARK = 0x7fff_ffff;
  private static final int PROGRAM = 0x20000779;
  private static final Procedure<Integer, Integer> HELD =
      new Procedure<>(PROGRAM, 1, 1, "Close.held", XdrCodecs.INT, XdrCodecs.INT);
  private static final Procedure<Integer, byte[]> BYTES =
      new Procedure<>(PROGRAM, 1, 2, "Close.bytes", XdrCodecs.INT, XdrCodecs.OPAQUE);

  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService background = Executors.newCachedThreadPool();

  @AfterEach
  void noThreadLeft() {
    release.countDown();
    background.shutdownNow();
    Await.until(() -> tcpThreads() == 0);
  }

  private RpcServerBuilder server() {
    ServiceDefinition close = ServiceDefinition.builder(PROGRAM, 1)
        .procedure(HELD, (n, ctx) -> {
          entered.countDown();
          release.await();
          return n;
        })
        .procedure(BYTES, (n, ctx) -> new byte[n])
        .build();
    return RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.TCP)
        .directory(Directory.none()).tcpIo(TcpIo.DEDICATED_THREAD).directExecutor()
        .addService(close).addService(new TestService().definition());
  }

  private static long tcpThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(BlockingTcpConnection.THREAD_PREFIX)).count();
  }

  private static byte[] echoCall(int xid) {
    return RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, 2, OpaqueAuth.NONE, new byte[4]);
  }

  /** Writes {@code bytes} zeros on another thread: a write the server stops reading may block. */
  private CompletableFuture<Void> sendInBackground(RawTcpPeer peer, int bytes) {
    return CompletableFuture.runAsync(() -> {
      try {
        peer.sendRaw(new byte[bytes]);
      } catch (IOException e) {
        // reset by the server: what the test then reads says so
      }
    }, background);
  }

  @Test
  void aCallBeforeGarbageIsAnsweredThenEndOfStreamNotAReset() throws Exception {
    try (RpcServer server = server().build().start(); RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.sendRecord(echoCall(3));
      peer.writeInt(GARBAGE_MARK);
      CompletableFuture<Void> garbage = sendInBackground(peer, 1 << 20); // left unread at the close
      assertEquals(3, peer.readReply().xid());
      assertEquals(-1, peer.read(), "end of stream after the reply, not a reset");
      garbage.get(1, TimeUnit.MINUTES); // the lingering server took it all
    }
  }

  @Test
  void aPeerThatNeverStopsSendingAfterGarbageIsClosedAtTheLingerDeadline() throws Exception {
    try (RpcServer server = server().shutdownTimeout(Duration.ofMillis(200)).build().start();
        RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.writeInt(GARBAGE_MARK);
      CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
        byte[] garbage = new byte[64 << 10];
        try {
          while (true) {
            peer.sendRaw(garbage);
          }
        } catch (IOException e) {
          // the server closed at the deadline: what it had not read is answered with a reset
        }
      }, background);
      assertEquals(-1, peer.read(), "its output was shut before the close");
      Await.until(() -> tcpThreads() == 0);
      flood.get(1, TimeUnit.MINUTES); // the reset ends it
    }
  }

  @Test
  void aPeerWithUnreadBytesAtTheEndOfTheDrainReadsItsReplyThenEndOfStream() throws Exception {
    RpcServer server = server().maxBufferedBytes(64 * 1024).build().start();
    try (RawTcpPeer busy = new RawTcpPeer(server.port());
        RawTcpPeer idle = new RawTcpPeer(server.port())) {
      idle.timeout(10_000);
      idle.sendRecord(echoCall(1));
      idle.readReply();
      busy.sendRecord(RawTcpPeer.call(9, 2, PROGRAM, 1, 1, OpaqueAuth.NONE, new byte[] {0, 0, 0, 5}));
      entered.await();
      // Behind the call, part of a record larger than the byte budget: its reader stops reading
      // it once the call is answered, and the rest waits unread in the server's kernel.
      busy.writeInt(0x8000_0000 | 1 << 20);
      CompletableFuture<Void> upload = sendInBackground(busy, 512 * 1024);
      CompletableFuture<Boolean> shutdown =
          CompletableFuture.supplyAsync(() -> server.shutdown(TIMEOUT), background);
      Await.until(server::draining);
      release.countDown();
      assertEquals(9, busy.readReply().xid());
      assertEquals(-1, busy.read(), "end of stream after the reply, not a reset");
      busy.close();
      assertTrue(shutdown.get(1, TimeUnit.MINUTES));
      upload.get(1, TimeUnit.MINUTES);
    } finally {
      server.close();
    }
  }

  @Test
  void aConnectionIdleWithUnreadBytesWhenTheDrainBeginsEndsWithEndOfStreamNotAReset()
      throws Exception {
    RpcServer server = server().maxBufferedBytes(64 * 1024).build().start();
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.sendRecord(echoCall(4));
      assertEquals(4, peer.readReply().xid());
      // No call in flight, and part of a record larger than the byte budget: its reader waits
      // for room, and the rest waits unread in the server's kernel when the drain begins.
      peer.writeInt(0x8000_0000 | 1 << 20);
      CompletableFuture<Void> upload = sendInBackground(peer, 512 * 1024);
      Await.until(() -> server.openConnections().starved() == 1);
      CompletableFuture<Boolean> shutdown =
          CompletableFuture.supplyAsync(() -> server.shutdown(TIMEOUT), background);
      assertEquals(-1, peer.read(), "end of stream, not a reset");
      peer.close();
      assertTrue(shutdown.get(1, TimeUnit.MINUTES));
      upload.get(1, TimeUnit.MINUTES);
    } finally {
      server.close();
    }
  }

  @Test
  void aPeerThatStopsTakingItsReplyDuringTheDrainIsClosedAndTheDrainEnds() throws Exception {
    RpcServer server = server().shutdownTimeout(Duration.ofMillis(300)).build().start();
    try (RawTcpPeer greedy = new RawTcpPeer(server.port())) {
      // 4 MiB, more than the kernel's buffers take: the reply waits for a peer that never reads.
      greedy.sendRecord(RawTcpPeer.call(5, 2, PROGRAM, 1, 2, OpaqueAuth.NONE,
          new byte[] {0, 0x40, 0, 0}));
      Await.until(() -> server.unreadReplyBytesPeak() >= 4 << 20); // being written
      // The call is done once its reply is written, which this peer stops: without the watch the
      // drain would wait the whole timeout and report the call still in flight.
      assertTrue(server.shutdown(TIMEOUT), "the stalled peer was closed and its call ended");
      Await.until(() -> tcpThreads() == 0);
    } finally {
      server.close();
    }
  }
}
