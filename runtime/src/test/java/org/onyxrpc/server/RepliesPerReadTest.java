package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * A peer that sends one write of small calls, each answered on the I/O thread with a large
 * reply, and takes none of the replies: the server stops reading once its replies pile up, but
 * the records of the read under way were each answered all the same, so one read held a reply
 * per record (16 of 512 KiB here for 1 KiB of calls, beyond what the socket took; a read grows to
 * 1 MiB while a peer sends faster than it is read, thousands of records). A retransmission
 * answered from the duplicate request cache is such a call for any peer that made the call
 * once, and so is any call to a procedure run on the I/O thread ({@link
 * RpcServerBuilder#directExecutor}). The records of that read now wait, as at the call limit,
 * and are answered as the peer takes the replies.
 */
@ExtendWith(LeakDetection.class)
class RepliesPerReadTest {
  private static final int PROGRAM = 0x20000a27;
  /** n zero bytes, at most once: the saved reply is what a retransmission gets. */
  private static final Procedure<Integer, byte[]> READ_ONCE = new Procedure<>(PROGRAM, 1, 1,
      "PerRead.readOnce", XdrCodecs.INT, XdrCodecs.OPAQUE, CallSemantics.AT_MOST_ONCE);
  /** n zero bytes, run as often as asked. */
  private static final Procedure<Integer, byte[]> READ = new Procedure<>(PROGRAM, 1, 2,
      "PerRead.read", XdrCodecs.INT, XdrCodecs.OPAQUE);
  /** Far beyond the channel's high water mark (64 KiB): one such reply leaves it unwritable. */
  private static final int RESULT_BYTES = 512 << 10;
  /** Calls in one write, of some 70 bytes each: one read. */
  private static final int CALLS = 16;

  private static final AtomicInteger runs = new AtomicInteger();
  private static RpcServer server;

  @BeforeAll
  static void start() throws IOException {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP).directory(Directory.none())
        .directExecutor() // what the I/O thread answers itself: a retransmission's saved reply too
        .duplicateRequestCache(1024, 64L << 20, Duration.ofMinutes(5)) // one shard: 32 MiB a sender
        .maxBufferedBytes(1L << 30) // the budget's own bound is not what this test is about
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(READ_ONCE, (n, ctx) -> {
              runs.incrementAndGet();
              return new byte[n];
            })
            .procedure(READ, (n, ctx) -> new byte[n])
            .build())
        .build().start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void retransmissionsOfACallWithALargeSavedReplyAreAnsweredAsTheirPeerReads() throws Exception {
    byte[] call = RawTcpPeer.call(1, PROGRAM, 1, READ_ONCE.number(),
        new CallTag(27, 27, true, 1, 0).toVerifier(), argument());
    try (Socket peer = smallReader()) {
      DataInputStream in = new DataInputStream(peer.getInputStream());
      peer.getOutputStream().write(records(call, 1));
      assertReply(in);
      assertEquals(1, runs.get());
      long replayedBefore = server.stats().duplicatesReplayed();

      peer.getOutputStream().write(records(call, CALLS)); // about 1 KiB: one read
      peer.shutdownOutput(); // and no more: the connection closes once all are answered
      assertRepliesHeldForOneRead(() -> server.stats().duplicatesReplayed() - replayedBefore);
      peer.setReceiveBufferSize(1 << 20); // reading now: a 4 KiB window makes that slow

      for (int i = 0; i < CALLS; i++) { // each one answered as the peer takes the replies
        assertReply(in);
      }
      assertEquals(1, runs.get(), "run again");
      assertEquals(replayedBefore + CALLS, server.stats().duplicatesReplayed());
      assertEquals(-1, in.read(), "the half-closed connection, all answered, is closed");
    }
  }

  @Test
  void callsRunOnTheIoThreadWithLargeResultsAreAnsweredAsTheirPeerReads() throws Exception {
    ByteArrayOutputStream calls = new ByteArrayOutputStream();
    for (int xid = 1; xid <= CALLS; xid++) {
      calls.write(records(RawTcpPeer.call(xid, 2, PROGRAM, 1, READ.number(), OpaqueAuth.NONE,
          argument()), 1));
    }
    try (Socket peer = smallReader()) {
      DataInputStream in = new DataInputStream(peer.getInputStream());
      long callsBefore = server.stats().calls();
      peer.getOutputStream().write(calls.toByteArray());
      assertRepliesHeldForOneRead(() -> server.stats().calls() - callsBefore);
      peer.setReceiveBufferSize(1 << 20);
      for (int i = 0; i < CALLS; i++) {
        assertReply(in);
      }
    }
  }

  /**
   * Checks what the server holds of the replies to one read of calls, for a peer that takes none
   * of them: asked once it answered one, on the connection's event loop, so after the read (which
   * that loop handles in one go) and the replies its socket took.
   */
  private static void assertRepliesHeldForOneRead(LongSupplier answered) {
    Await.until(() -> answered.getAsLong() >= 1);
    int waiting = server.waitingRecords();
    long held = server.pendingWriteBytes();
    assertTrue(held <= 2L * RESULT_BYTES, held + " bytes of replies held after one read of "
        + CALLS + " calls, for a peer that takes none of them (" + answered.getAsLong()
        + " answered, " + waiting + " waiting)");
  }

  private static byte[] argument() {
    return ByteBuffer.allocate(4).putInt(RESULT_BYTES).array();
  }

  /** A peer whose socket takes little of what the server writes until it reads. */
  private static Socket smallReader() throws IOException {
    Socket peer = new Socket();
    peer.setReceiveBufferSize(4096); // before connecting, so that the window stays small
    peer.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
    peer.setSoTimeout(60_000);
    return peer;
  }

  private static byte[] records(byte[] message, int copies) {
    ByteBuffer out = ByteBuffer.allocate(copies * (4 + message.length));
    for (int i = 0; i < copies; i++) {
      out.putInt(0x8000_0000 | message.length).put(message);
    }
    return out.array();
  }

  private static void assertReply(DataInputStream in) throws IOException {
    byte[] record = RawTcpPeer.readRecord(in);
    XdrReader reader = new XdrReader(Unpooled.wrappedBuffer(record));
    ReplyHeader header = RpcMessages.readReply(reader);
    assertEquals(RpcStatus.SUCCESS, header.status());
    assertArrayEquals(new byte[RESULT_BYTES], XdrCodecs.OPAQUE.decode(reader));
  }
}
