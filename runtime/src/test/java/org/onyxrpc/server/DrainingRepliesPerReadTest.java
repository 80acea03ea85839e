package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;

/**
 * {@link RepliesPerReadTest} while the server drains: a retransmission of an at-most-once call
 * that ran is answered with its saved reply then too (the drain's refusal never tells a call
 * that ran that it did not), on the I/O thread. A peer that sends one write of such
 * retransmissions and reads none of the replies must not have a reply held per record of the
 * read: the drain's refusal answered each record at once, whether or not the peer took the
 * replies before, so 1 KiB of calls held 16 replies of 512 KiB (a read of 1 MiB, thousands).
 */
@ExtendWith(LeakDetection.class)
class DrainingRepliesPerReadTest {
  private static final int PROGRAM = 0x20000a48;
  /** n zero bytes, at most once: the saved reply is what a retransmission gets. */
  private static final Procedure<Integer, byte[]> READ_ONCE = new Procedure<>(PROGRAM, 1, 1,
      "DrainRead.readOnce", XdrCodecs.INT, XdrCodecs.OPAQUE, CallSemantics.AT_MOST_ONCE);
  /** Held until the test completes it: the drain waits for it. */
  private static final Procedure<Void, Integer> HELD = new Procedure<>(PROGRAM, 1, 2,
      "DrainRead.held", XdrCodecs.VOID, XdrCodecs.INT);
  /** Far beyond the channel's high water mark (64 KiB): one such reply leaves it unwritable. */
  private static final int RESULT_BYTES = 512 << 10;
  /** Far more than the sockets between the server and a peer that does not read take. */
  private static final int BIG_RESULT_BYTES = 8 << 20;
  /** Retransmissions in one write, of some 70 bytes each: one read. */
  private static final int CALLS = 16;

  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void retransmissionsDuringTheDrainAreAnsweredAsTheirPeerReads(TcpIo io) throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<Integer> held = new CompletableFuture<>();
    CompletableFuture<Void> heldStarted = new CompletableFuture<>();
    RpcServer server = server(io, runs, heldStarted, held)
        .maxBufferedBytes(1L << 30) // the budget's own bound is not what this test is about
        .build().start();
    Thread shutdown = null;
    byte[] call = RawTcpPeer.call(1, PROGRAM, 1, READ_ONCE.number(),
        new CallTag(48, 48, true, 1, 0).toVerifier(), ByteBuffer.allocate(4).putInt(RESULT_BYTES).array());
    try (Socket peer = RawTcpPeer.smallWindow(server.port());
        Socket holder = RawTcpPeer.smallWindow(server.port())) {
      DataInputStream in = new DataInputStream(peer.getInputStream());
      peer.getOutputStream().write(RawTcpPeer.records(call, 1));
      assertReply(in);
      assertEquals(1, runs.get());

      holder.getOutputStream().write(RawTcpPeer.records(RawTcpPeer.call(2, PROGRAM, 1, HELD.number(),
          OpaqueAuth.NONE, new byte[0]), 1));
      heldStarted.get(1, TimeUnit.MINUTES);
      shutdown = new Thread(server::close, "shutdown");
      shutdown.start();
      awaitDraining(server);

      long replayedBefore = server.stats().duplicatesReplayed();
      peer.getOutputStream().write(RawTcpPeer.records(call, CALLS)); // about 1 KiB: one read
      Await.until(() -> server.stats().duplicatesReplayed() - replayedBefore >= 1);
      // Asked once a retransmission was answered, on the connection's event loop, so after the
      // read (which that loop handles in one go) and the replies its socket took.
      int waiting = server.openConnections().waitingRecords();
      long unread = server.unreadReplyBytes();
      long pending = server.openConnections().pendingWriteBytes();
      long replayed = server.stats().duplicatesReplayed() - replayedBefore;
      assertTrue(Math.max(unread, pending) <= 2L * RESULT_BYTES, Math.max(unread, pending)
          + " bytes of replies held after one read of " + CALLS + " retransmissions during the drain,"
          + " for a peer that takes none of them (" + replayed + " answered, " + waiting + " waiting)");

      peer.setReceiveBufferSize(1 << 20); // reading now
      for (int i = 0; i < CALLS; i++) { // each one answered with the saved reply, as the peer reads
        assertReply(in);
      }
      assertEquals(1, runs.get(), "run again");
      held.complete(7);
    } finally {
      held.complete(7);
      if (shutdown != null) {
        shutdown.join(TimeUnit.MINUTES.toMillis(2));
      }
      server.close();
    }
  }

  /**
   * The records that wait for a slow reader during the drain do not cut it off when the drain is
   * over: the reply of a call that ran, most of it not yet taken, is written whole, and the call
   * that waited behind it is refused as the peer reads, then the connection closes.
   */
  @org.junit.jupiter.api.Test
  void aSlowReadersReplyIsWrittenWholeThoughItsNextCallWaited() throws Exception {
    CompletableFuture<Integer> held = new CompletableFuture<>();
    CompletableFuture<Void> heldStarted = new CompletableFuture<>();
    RpcServer server = server(TcpIo.EVENT_LOOP, new AtomicInteger(), heldStarted, held)
        .build().start();
    Thread shutdown = null;
    byte[] once = RawTcpPeer.call(1, PROGRAM, 1, READ_ONCE.number(),
        new CallTag(48, 49, true, 1, 0).toVerifier(), ByteBuffer.allocate(4).putInt(BIG_RESULT_BYTES).array());
    try (Socket peer = RawTcpPeer.smallWindow(server.port());
        Socket holder = RawTcpPeer.smallWindow(server.port())) {
      DataInputStream in = new DataInputStream(peer.getInputStream());
      peer.setReceiveBufferSize(1 << 20);
      peer.getOutputStream().write(RawTcpPeer.records(once, 1));
      assertBigReply(in);
      holder.getOutputStream().write(RawTcpPeer.records(RawTcpPeer.call(2, PROGRAM, 1, HELD.number(),
          OpaqueAuth.NONE, new byte[0]), 1));
      heldStarted.get(1, TimeUnit.MINUTES);
      shutdown = new Thread(server::close, "shutdown");
      shutdown.start();
      awaitDraining(server);
      // One write: the retransmission, answered with the saved reply, which leaves the connection
      // unwritable, and a call that waits behind it.
      ByteArrayOutputStream write = new ByteArrayOutputStream();
      write.writeBytes(RawTcpPeer.records(once, 1));
      write.writeBytes(RawTcpPeer.records(RawTcpPeer.call(3, 2, PROGRAM, 1, READ_ONCE.number(),
          OpaqueAuth.NONE, ByteBuffer.allocate(4).putInt(4).array()), 1));
      peer.getOutputStream().write(write.toByteArray());
      Await.until(() -> server.openConnections().waitingRecords() == 1); // behind the reply
      held.complete(7);
      assertEquals(7, heldReply(holder));
      // The drain is over once its grace (the peer stays) has passed: each connection then closes
      // behind its replies, the holder's at once (it has all of them), the peer's not yet.
      assertEquals(-1, holder.getInputStream().read(), "the holder's connection closed");

      assertBigReply(in); // the saved reply, whole
      XdrReader refusal = new XdrReader(Unpooled.wrappedBuffer(RawTcpPeer.readRecord(in)));
      ReplyHeader header = RpcMessages.readReply(refusal);
      assertEquals(3, header.xid());
      assertEquals(RpcStatus.PROG_UNAVAIL, header.status());
      assertEquals(-1, in.read(), "closed once answered");
    } finally {
      held.complete(7);
      if (shutdown != null) {
        shutdown.join(TimeUnit.MINUTES.toMillis(2));
      }
      server.close();
    }
  }

  private static void assertBigReply(DataInputStream in) throws IOException {
    XdrReader whole = new XdrReader(Unpooled.wrappedBuffer(RawTcpPeer.readRecord(in)));
    assertEquals(RpcStatus.SUCCESS, RpcMessages.readReply(whole).status());
    assertArrayEquals(new byte[BIG_RESULT_BYTES], XdrCodecs.OPAQUE.decode(whole));
  }

  private static int heldReply(Socket holder) throws IOException {
    XdrReader reader = new XdrReader(Unpooled.wrappedBuffer(
        RawTcpPeer.readRecord(new DataInputStream(holder.getInputStream()))));
    assertEquals(RpcStatus.SUCCESS, RpcMessages.readReply(reader).status());
    return XdrCodecs.INT.decode(reader);
  }

  private static void awaitDraining(RpcServer server) {
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!server.draining()) { // the drain's own mark: the event, polled
      if (System.nanoTime() > end) {
        fail("the server never began to drain");
      }
      LockSupport.parkNanos(100_000);
    }
  }

  private static void assertReply(DataInputStream in) throws IOException {
    byte[] record = RawTcpPeer.readRecord(in);
    XdrReader reader = new XdrReader(Unpooled.wrappedBuffer(record));
    ReplyHeader header = RpcMessages.readReply(reader);
    assertEquals(RpcStatus.SUCCESS, header.status());
    assertArrayEquals(new byte[RESULT_BYTES], XdrCodecs.OPAQUE.decode(reader));
  }

  /**
   * A server with the reply cache, whose READ_ONCE counts its runs in {@code runs} and whose
   * HELD, once started ({@code heldStarted}), answers when {@code held} completes.
   */
  private static RpcServerBuilder server(TcpIo io, AtomicInteger runs,
      CompletableFuture<Void> heldStarted, CompletableFuture<Integer> held) {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP).tcpIo(io).directory(Directory.none())
        .shutdownTimeout(Duration.ofMinutes(1))
        .duplicateRequestCache(1024, 64L << 20, Duration.ofMinutes(5))
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(READ_ONCE, (n, ctx) -> {
              runs.incrementAndGet();
              return new byte[n];
            })
            .asyncProcedure(HELD, (v, ctx) -> {
              heldStarted.complete(null);
              return held;
            })
            .build());
  }
}
