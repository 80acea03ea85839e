package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import java.io.DataInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.tls.LocalhostCertificates;
import org.onyxrpc.tls.TestCertificates;
import org.onyxrpc.transport.Transport;

/**
 * A record trickled inside TLS is cut off at the record timeout, as a plaintext one is
 * ({@code SlowAndGreedyPeersTest}), not left to the idle timeout: whether the RPC record comes a
 * byte in each TLS record, or the bytes of one TLS record (which TLS passes on only when whole)
 * come one at a time. From a real TLS client socket, after the AUTH_TLS probe (RFC 9289).
 */
class TlsTrickleTest {
  /** Long enough for a handshake on a busy machine: the handshake gets no more than a record. */
  private static final Duration RECORD_TIMEOUT = Duration.ofSeconds(3);
  /** The attacker's pace, one byte per pause: the record below would take 20 s. */
  private static final long PAUSE_MILLIS = 50;
  private static final int ARGUMENT_BYTES = 400;
  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  private RpcServer server;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    // The idle timeout far beyond the test: only the record timeout may close the trickler.
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP).directory(Directory.none())
        .recordTimeout(RECORD_TIMEOUT).idleTimeout(Duration.ofMinutes(10))
        .addService(new TestService().definition())
        .tls(ServerTls.of(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE),
            TlsMode.REQUIRE))
        .build().start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    server.close();
  }

  /** A socket whose writes, once {@link #trickle} is set, go out a byte at a time. */
  private static final class TricklingSocket extends Socket {
    volatile boolean trickle;

    @Override
    public OutputStream getOutputStream() throws IOException {
      return new FilterOutputStream(super.getOutputStream()) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          if (!trickle) {
            out.write(b, off, len);
            return;
          }
          for (int i = 0; i < len; i++) {
            out.write(b[off + i]);
            out.flush();
            pause();
          }
        }
      };
    }
  }

  private static void pause() throws IOException {
    try {
      Thread.sleep(PAUSE_MILLIS); // the attacker's pace, not a wait for the server
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException();
    }
  }

  /** The AUTH_TLS probe of RFC 9289: a NULL call whose credential is AUTH_TLS (7). */
  private static byte[] probe() {
    return ByteBuffer.allocate(40).putInt(1).putInt(0).putInt(2).putInt(TestService.PROGRAM)
        .putInt(1).putInt(0).putInt(7).putInt(0).putInt(0).putInt(0).array();
  }

  /** A TLS connection over {@code socket}, its probe answered and its handshake done. */
  private SSLSocket tls(Socket socket) throws Exception {
    open.add(socket);
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
    socket.setSoTimeout(60_000);
    OutputStream out = socket.getOutputStream();
    out.write(ByteBuffer.allocate(4).putInt(0x8000_0000 | 40).array());
    out.write(probe());
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] reply = new byte[in.readInt() & 0x7FFF_FFFF];
    in.readFully(reply);
    assertEquals(0, ByteBuffer.wrap(reply, 8, 4).getInt(), "MSG_ACCEPTED");

    SSLContext context = TestCertificates.jdkClientContext(certs.ca(), "TLSv1.3");
    SSLSocket tls = (SSLSocket) context.getSocketFactory()
        .createSocket(socket, "localhost", server.port(), true);
    open.add(tls);
    tls.startHandshake();
    return tls;
  }

  /** A whole record: an ECHO-sized call, large enough to take 20 s at the attacker's pace. */
  private static byte[] record() {
    byte[] call = RawTcpPeer.call(7, 2, TestService.PROGRAM, 1, 0, OpaqueAuth.NONE,
        new byte[ARGUMENT_BYTES]);
    return ByteBuffer.allocate(4 + call.length).putInt(0x8000_0000 | call.length).put(call).array();
  }

  @Test
  void aRecordSentAByteInEachTlsRecordIsCutOffAtTheRecordTimeout() throws Exception {
    SSLSocket tls = tls(new Socket());
    OutputStream out = tls.getOutputStream();
    boolean closed = false;
    for (byte b : record()) {
      try {
        out.write(b); // a TLS record of its own
        out.flush();
      } catch (IOException e) {
        closed = true;
        break;
      }
      pause();
    }
    assertTrue(closed, "a byte now and then, each in its own TLS record, does not keep a record alive");
  }

  @Test
  void aTlsRecordTrickledByteByByteIsCutOffAtTheRecordTimeout() throws Exception {
    TricklingSocket socket = new TricklingSocket();
    SSLSocket tls = tls(socket);
    socket.trickle = true;
    boolean closed = false;
    try {
      tls.getOutputStream().write(record()); // one TLS record, its bytes one at a time
    } catch (IOException e) {
      closed = true;
    }
    assertTrue(closed, "a TLS record trickled byte by byte does not keep a connection alive");
  }
}
