package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.tls.TestCertificates;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A server closed while a TLS client has stopped reading its replies lets go of them: closing
 * through TLS would send a close_notify behind the queued bytes, which the peer never takes,
 * and wait for it on a timer the event loop's shutdown cancels, keeping the socket and every
 * queued buffer forever (Netty's leak detection, at PARANOID in the build, sees them).
 */
@ExtendWith(LeakDetection.class)
class TlsUnreadRepliesAtCloseTest {
  private static final int PROGRAM = 0x20000204;
  /** n zero bytes: a small call with a large result. */
  private static final Procedure<Integer, byte[]> READ =
      new Procedure<>(PROGRAM, 1, 1, "Replies.read", XdrCodecs.INT, XdrCodecs.OPAQUE);

  @TempDir static Path dir;
  static TestCertificates.Authority ca;
  static TestCertificates.KeyPair serverKeys;

  @BeforeAll
  static void certificates() throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    ca = certs.authority("test-ca");
    serverKeys = certs.server(ca, "localhost", "DNS:localhost,IP:127.0.0.1");
  }

  @Test
  void aServerClosedWhileATlsClientStopsReadingReleasesTheQueuedReplies() throws Exception {
    int calls = 16;
    int resultBytes = 256 << 10; // 4 MiB of replies for 16 small calls: far beyond socket buffers
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP).directory(Directory.none())
        .idleTimeout(Duration.ofMinutes(10)) // not what closes it
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(READ, (n, ctx) -> new byte[n]).build())
        .tls(ServerTls.of(TestCertificates.serverContext(serverKeys, ca, ClientAuth.NONE),
            TlsMode.REQUIRE))
        .build().start();
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      SSLSocket tls = tls(socket, server.port());
      ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
      for (int xid = 1; xid <= calls; xid++) {
        byte[] call = RawTcpPeer.call(xid, 2, PROGRAM, 1, 1, OpaqueAuth.NONE,
            ByteBuffer.allocate(4).putInt(resultBytes).array());
        pipelined.write(ByteBuffer.allocate(4).putInt(0x8000_0000 | call.length).array());
        pipelined.write(call);
      }
      tls.getOutputStream().write(pipelined.toByteArray());
      tls.getOutputStream().flush();
      LimitsAndShutdownTest.awaitCalls(server, calls);
      Await.until(() -> server.callsInFlight() == 0); // every reply made, none read
      Await.until(() -> server.unreadReplyBytes() > 0);

      server.close();
      assertEquals(0, server.unreadReplyBytes(), "the connection's queued replies were let go");
      socket.setSoTimeout(10_000);
      assertTrue(closedByServer(socket.getInputStream()), "the server closed the connection");
    } finally {
      server.close();
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

  /** A TLS connection over {@code socket}, its AUTH_TLS probe answered and its handshake done. */
  private static SSLSocket tls(Socket socket, int port) throws Exception {
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

    SSLContext context = TestCertificates.jdkClientContext(ca, "TLSv1.3");
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", port, true);
    tls.startHandshake();
    return tls;
  }
}
