package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.ClientAuth;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
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
import org.onyxrpc.tls.LocalhostCertificates;
import org.onyxrpc.tls.TestCertificates;
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
  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();
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

  /** The calls of {@link #callsRunOnTheIoThreadWithLargeResultsAreAnsweredAsTheirPeerReads}. */
  private static byte[] pipelinedReads() {
    ByteArrayOutputStream calls = new ByteArrayOutputStream();
    for (int xid = 1; xid <= CALLS; xid++) {
      calls.writeBytes(RawTcpPeer.records(RawTcpPeer.call(xid, 2, PROGRAM, 1, READ.number(), OpaqueAuth.NONE,
          argument()), 1));
    }
    return calls.toByteArray();
  }

  @Test
  void retransmissionsOfACallWithALargeSavedReplyAreAnsweredAsTheirPeerReads() throws Exception {
    byte[] call = RawTcpPeer.call(1, PROGRAM, 1, READ_ONCE.number(),
        new CallTag(27, 27, true, 1, 0).toVerifier(), argument());
    try (Socket peer = smallReader()) {
      DataInputStream in = new DataInputStream(peer.getInputStream());
      peer.getOutputStream().write(RawTcpPeer.records(call, 1));
      assertReply(in);
      assertEquals(1, runs.get());
      long replayedBefore = server.stats().duplicatesReplayed();

      peer.getOutputStream().write(RawTcpPeer.records(call, CALLS)); // about 1 KiB: one read
      peer.shutdownOutput(); // and no more: the connection closes once all are answered
      assertRepliesHeldForOneRead(server, () -> server.stats().duplicatesReplayed() - replayedBefore);
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
    try (Socket peer = smallReader()) {
      DataInputStream in = new DataInputStream(peer.getInputStream());
      long callsBefore = server.stats().calls();
      peer.getOutputStream().write(pipelinedReads());
      assertRepliesHeldForOneRead(server, () -> server.stats().calls() - callsBefore);
      peer.setReceiveBufferSize(1 << 20);
      for (int i = 0; i < CALLS; i++) {
        assertReply(in);
      }
    }
  }

  /**
   * The same inside TLS, where the replies wait in the TLS handler until it encrypts them: they
   * count towards the channel's writability all the same. The peer then resets the connection
   * rather than read them (through TLS and a small window, that took seconds).
   */
  @Test
  void soInsideTls() throws Exception {
    try (RpcServer tlsServer = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .transports(Transport.TCP).directory(Directory.none()).directExecutor()
            .addService(ServiceDefinition.builder(PROGRAM, 1)
                .procedure(READ, (n, ctx) -> new byte[n]).build())
            .tls(new ServerTls(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE),
                TlsMode.REQUIRE, false))
            .build().start();
        Socket peer = RawTcpPeer.smallWindow(tlsServer.port())) {
      SSLSocket tls = startTls(peer, tlsServer.port());
      long callsBefore = tlsServer.stats().calls();
      tls.getOutputStream().write(pipelinedReads());
      tls.getOutputStream().flush();
      assertRepliesHeldForOneRead(tlsServer, () -> tlsServer.stats().calls() - callsBefore);
      peer.setSoLinger(true, 0);
      peer.close(); // a reset: what the server holds for it is let go at once
      Await.until(() -> tlsServer.connections() == 0 && tlsServer.unreadReplyBytes() == 0);
    }
  }

  /** An AUTH_TLS probe (RFC 9289 §4.1) over {@code peer}, answered, then the handshake. */
  private static SSLSocket startTls(Socket peer, int port) throws Exception {
    byte[] probe = ByteBuffer.allocate(40).putInt(1).putInt(0).putInt(2).putInt(PROGRAM).putInt(1)
        .putInt(0).putInt(7).putInt(0).putInt(0).putInt(0).array();
    peer.getOutputStream().write(RawTcpPeer.records(probe, 1));
    RawTcpPeer.readRecord(new DataInputStream(peer.getInputStream()));
    SSLContext context = TestCertificates.jdkClientContext(certs.ca(), "TLSv1.3");
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(peer, "localhost", port, true);
    tls.startHandshake();
    return tls;
  }

  /**
   * Checks what the server holds of the replies to one read of calls, for a peer that takes none
   * of them: asked once it answered one, on the connection's event loop, so after the read (which
   * that loop handles in one go) and the replies its socket took.
   */
  private static void assertRepliesHeldForOneRead(RpcServer server, LongSupplier answered) {
    Await.until(() -> answered.getAsLong() >= 1);
    int waiting = server.openConnections().waitingRecords();
    long held = server.openConnections().pendingWriteBytes();
    assertTrue(held <= 2L * RESULT_BYTES, held + " bytes of replies held after one read of "
        + CALLS + " calls, for a peer that takes none of them (" + answered.getAsLong()
        + " answered, " + waiting + " waiting)");
  }

  private static byte[] argument() {
    return ByteBuffer.allocate(4).putInt(RESULT_BYTES).array();
  }

  /** A peer whose socket takes little of what the server writes until it reads. */
  private static Socket smallReader() throws IOException {
    return RawTcpPeer.smallWindow(server.port());
  }

  private static void assertReply(DataInputStream in) throws IOException {
    byte[] record = RawTcpPeer.readRecord(in);
    XdrReader reader = new XdrReader(Unpooled.wrappedBuffer(record));
    ReplyHeader header = RpcMessages.readReply(reader);
    assertEquals(RpcStatus.SUCCESS, header.status());
    assertArrayEquals(new byte[RESULT_BYTES], XdrCodecs.OPAQUE.decode(reader));
  }
}
