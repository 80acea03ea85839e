package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.tls.LocalhostCertificates;
import org.onyxrpc.tls.TestCertificates;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * TLS connections closed with replies their client has not read yet. A server closed while a TLS
 * client has stopped reading its replies lets go of them: closing through TLS would send a
 * close_notify behind the queued bytes, which the peer never takes, and wait for it on a timer the
 * event loop's shutdown cancels, keeping the socket and every queued buffer forever (Netty's leak
 * detection, at PARANOID in the build, sees them). A connection closed for garbage sent inside TLS
 * after calls still delivers their replies, as over plain TCP ({@link LingeringCloseTest}).
 */
@ExtendWith(LeakDetection.class)
class TlsUnreadRepliesAtCloseTest {
  private static final int PROGRAM = 0x20000204;
  /** n zero bytes: a small call with a large result. */
  private static final Procedure<Integer, byte[]> READ =
      new Procedure<>(PROGRAM, 1, 1, "Replies.read", XdrCodecs.INT, XdrCodecs.OPAQUE);

  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  private static RpcServer tlsServer() throws Exception {
    return tlsServer(Duration.ofSeconds(10));
  }

  private static RpcServer tlsServer(Duration shutdownTimeout) throws Exception {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .shutdownTimeout(shutdownTimeout)
        .transports(Transport.TCP).directory(Directory.none())
        .idleTimeout(Duration.ofMinutes(10)) // not what closes it
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(READ, (n, ctx) -> new byte[n]).build())
        .tls(new ServerTls(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE),
            TlsMode.REQUIRE, true)) // TLS 1.2 too, whose records a test reads
        .build().start();
  }

  /** {@code calls} pipelined records, xids 1 to {@code calls}, each asking for {@code resultBytes}. */
  private static byte[] calls(int calls, int resultBytes) {
    ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
    for (int xid = 1; xid <= calls; xid++) {
      byte[] call = RawTcpPeer.call(xid, 2, PROGRAM, 1, 1, OpaqueAuth.NONE,
          ByteBuffer.allocate(4).putInt(resultBytes).array());
      pipelined.writeBytes(ByteBuffer.allocate(4).putInt(0x8000_0000 | call.length).array());
      pipelined.writeBytes(call);
    }
    return pipelined.toByteArray();
  }

  @Test
  void aServerClosedWhileATlsClientStopsReadingReleasesTheQueuedReplies() throws Exception {
    int calls = 16;
    int resultBytes = 256 << 10; // 4 MiB of replies for 16 small calls: far beyond socket buffers
    // The close waits for a peer that takes its replies; this one takes nothing for as long.
    RpcServer server = tlsServer(Duration.ofMillis(200));
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      SSLSocket tls = tls(socket, server.port());
      tls.getOutputStream().write(calls(calls, resultBytes));
      tls.getOutputStream().flush();
      // Not all 16 need run: once the replies pass the high water mark, the rest of the read
      // waits for the peer to take them (RepliesPerReadTest), which it never does.
      LimitsAndShutdownTest.awaitCalls(server, 1);
      Await.until(() -> server.callsInFlight() == 0); // the replies made, none read
      Await.until(() -> server.unreadReplyBytes() > 0);

      server.close();
      assertEquals(0, server.unreadReplyBytes(), "the connection's queued replies were let go");
      socket.setSoTimeout(10_000);
      assertTrue(closedByServer(socket.getInputStream()), "the server closed the connection");
    } finally {
      server.close();
    }
  }

  /**
   * A TLS client sends calls, then garbage inside TLS (a record mark beyond any limit, then more),
   * and reads nothing until the server is done with the connection: it still gets every reply,
   * then the server's close_notify and end of stream. The server lingers as over plain TCP, after
   * its close_notify, so the garbage it no longer decodes is not left unread for the kernel to
   * answer with a reset. Before, a TLS connection was closed at once: the reset threw away the
   * replies still queued and the client's read failed (SocketException: Connection reset). TLS
   * 1.2, whose record headers name an alert in the clear: the JDK reads a bare end of stream as
   * -1 too, so the close_notify is seen only among the records received.
   */
  @Test
  void garbageInsideTlsAfterCallsLeavesEveryReplyThenCloseNotify() throws Exception {
    int calls = 4;
    int resultBytes = 256 << 10; // 1 MiB of replies: most wait in the server's send queue
    RpcServer server = tlsServer();
    try (RecordingSocket socket = new RecordingSocket()) {
      socket.setReceiveBufferSize(16 << 10);
      SSLSocket tls = tls(socket, server.port(), "TLSv1.2");
      socket.received.reset(); // the STARTTLS reply and the handshake
      OutputStream out = tls.getOutputStream();
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      stream.writeBytes(calls(calls, resultBytes));
      stream.writeBytes(ByteBuffer.allocate(4).putInt(0x7fff_ffff).array()); // the garbage
      out.write(stream.toByteArray());
      out.flush();
      // More garbage, which the server does not decode, then the client's FIN, which ends the
      // linger: on its own thread, as the server reads none of it until it lingers (before, never).
      CompletableFuture<Void> more = CompletableFuture.runAsync(() -> {
        try {
          out.write(new byte[1 << 20]);
          out.flush();
          socket.shutdownOutput();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      // Not a byte read before the server is done with the connection.
      Await.until(() -> server.connections() == 0);
      DataInputStream in = new DataInputStream(tls.getInputStream());
      Set<Integer> answered = new HashSet<>();
      for (int i = 0; i < calls; i++) {
        byte[] reply = RawTcpPeer.readRecord(in);
        assertEquals(0, ByteBuffer.wrap(reply, 8, 4).getInt(), "MSG_ACCEPTED");
        assertEquals(24 + 4 + resultBytes, reply.length, "the whole reply");
        answered.add(ByteBuffer.wrap(reply).getInt());
      }
      assertEquals(Set.of(1, 2, 3, 4), answered, "every call's reply");
      assertEquals(-1, in.read(), "then the end of the stream, not a reset");
      assertEquals(ALERT, lastRecordType(socket.received.toByteArray()), "the last record: close_notify");
      more.get(1, TimeUnit.MINUTES); // the server read it all, and dropped it
    } finally {
      server.close();
    }
  }

  /** RFC 5246 §6.2.1: the content type of an alert record. */
  private static final int ALERT = 21;

  /** The content type of the last of the whole TLS records in {@code records}. */
  private static int lastRecordType(byte[] records) {
    ByteBuffer buf = ByteBuffer.wrap(records);
    int type = -1;
    while (buf.remaining() >= 5) {
      type = buf.get();
      buf.position(buf.position() + 2 + 2 + Short.toUnsignedInt(buf.getShort(buf.position() + 2)));
    }
    assertEquals(0, buf.remaining(), "whole records");
    return type;
  }

  /** A socket that keeps what is read from it, as a TLS socket layered over it reads its records. */
  private static final class RecordingSocket extends Socket {
    final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @Override
    public InputStream getInputStream() throws IOException {
      return new FilterInputStream(super.getInputStream()) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            received.write(b, off, n);
          }
          return n;
        }
      };
    }
  }

  /** True if the stream ends (or is reset) before the socket timeout. */
  private static boolean closedByServer(InputStream in) throws IOException {
    byte[] sink = new byte[64 << 10];
    try {
      while (in.read(sink) >= 0) {
        // the replies and records that were on their way
      }
      return true;
    } catch (SocketTimeoutException open) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private static SSLSocket tls(Socket socket, int port) throws Exception {
    return tls(socket, port, "TLSv1.3");
  }

  /**
   * A {@code protocol} connection over {@code socket}, its AUTH_TLS probe answered and its
   * handshake done.
   */
  private static SSLSocket tls(Socket socket, int port, String protocol) throws Exception {
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(60_000);
    OutputStream out = socket.getOutputStream();
    // RFC 9289 §4.1: a NULL call whose credential is AUTH_TLS (7)
    out.write(ByteBuffer.allocate(44).putInt(0x8000_0000 | 40).putInt(1).putInt(0).putInt(2)
        .putInt(PROGRAM).putInt(1).putInt(0).putInt(7).putInt(0).putInt(0).putInt(0).array());
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] reply = new byte[in.readInt() & 0x7FFF_FFFF];
    in.readFully(reply);
    assertEquals(0, ByteBuffer.wrap(reply, 8, 4).getInt(), "MSG_ACCEPTED");

    SSLContext context = TestCertificates.jdkClientContext(certs.ca(), protocol);
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", port, true);
    tls.startHandshake();
    return tls;
  }
}
