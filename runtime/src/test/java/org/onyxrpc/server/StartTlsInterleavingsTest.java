package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.ClientAuth;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.AuthStatus;
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
 * RFC 9289's probe in orders and mixes a raw peer chooses, against a server that offers TLS: the
 * probe, a whole call and a record cut short in one TCP segment; the probe over UDP; the probe
 * then a half-close before any handshake. What is probed here held (round 42); these pin it.
 */
@ExtendWith(LeakDetection.class)
class StartTlsInterleavingsTest {
  private static final int PROGRAM = 0x20000F07;
  /** Answers whether its call came inside TLS, and counts the calls it ran. */
  private static final Procedure<Void, Boolean> SEEN = new Procedure<>(PROGRAM, 1, 1, "Seen.tls",
      XdrCodecs.VOID, XdrCodecs.BOOL);
  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  private static byte[] record(byte[] message) {
    return ByteBuffer.allocate(4 + message.length).putInt(0x8000_0000 | message.length)
        .put(message).array();
  }

  /** The AUTH_TLS probe (NULL, AUTH_TLS credential) with {@code xid}, unframed. */
  private static byte[] probe(int xid) {
    return ByteBuffer.allocate(40).putInt(xid).putInt(0).putInt(2).putInt(PROGRAM)
        .putInt(1).putInt(0).putInt(7).putInt(0).putInt(0).putInt(0).array();
  }

  private static byte[] seen(int xid) {
    return RawTcpPeer.call(xid, 2, PROGRAM, 1, SEEN.number(), OpaqueAuth.NONE, new byte[0]);
  }

  private static RpcServer server(AtomicInteger ran, int handshakesPerAddress,
      Transport first, Transport... more) throws Exception {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(first, more).directory(Directory.none())
        .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(SEEN, (v, ctx) -> {
          ran.incrementAndGet();
          return ctx.tls();
        }).build())
        .tls(ServerTls.of(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE),
            TlsMode.OFFER).withMaxHandshakesPerAddress(handshakesPerAddress))
        .build().start();
  }

  /** STARTTLS over {@code raw}, then SEEN inside TLS: true, the call came inside TLS. */
  private static boolean seenInsideTls(Socket raw, int port) throws Exception {
    raw.setSoTimeout(30_000);
    raw.getOutputStream().write(record(probe(10)));
    DataInputStream plain = new DataInputStream(raw.getInputStream());
    byte[] startTls = RawTcpPeer.readRecord(plain);
    assertTrue(new String(startTls, StandardCharsets.ISO_8859_1).contains("STARTTLS"));
    SSLSocket tls = (SSLSocket) TestCertificates.jdkClientContext(certs.ca(), "TLS")
        .getSocketFactory().createSocket(raw, "localhost", port, false);
    tls.startHandshake();
    tls.getOutputStream().write(record(seen(11)));
    byte[] reply = RawTcpPeer.readRecord(new DataInputStream(tls.getInputStream()));
    assertEquals(11, ByteBuffer.wrap(reply).getInt(0));
    return ByteBuffer.wrap(reply).getInt(reply.length - 4) == 1;
  }

  /**
   * The probe, a whole call and the start of another record in one write: nothing behind the
   * probe may pass for a call inside TLS, so the connection is closed with no STARTTLS reply,
   * the call never runs, and what the peer left (102 bytes buffered, its address's share and
   * lane) is given back; the next client starts TLS.
   */
  @Test
  void aProbeACallAndACutRecordInOneSegmentCloseTheConnectionAndRunNothing() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    try (RpcServer server = server(ran, 1, Transport.TCP)) {
      try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(record(probe(2)));
        wire.write(record(seen(3)));
        wire.write(ByteBuffer.allocate(14).putInt(0x8000_0000 | 100).putInt(4).array());
        peer.sendRaw(wire.toByteArray());
        assertTrue(peer.closedByPeer(), "closed, and not a byte before: no STARTTLS reply");
      }
      Await.until(() -> server.connections() == 0 && server.bufferedBytes() == 0
          && server.callsInFlight() == 0 && Arrays.equals(new int[3], server.perClientEntries()));
      assertArrayEquals(new int[3], server.perClientEntries(), "limiter addresses, budget shares, lanes");
      assertEquals(0, ran.get(), "the call behind the probe never ran");
      try (Socket next = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        assertTrue(seenInsideTls(next, server.port()));
      }
      assertEquals(1, ran.get());
    }
  }

  /**
   * UDP has no TLS (no DTLS here): the probe over UDP is refused AUTH_ERROR (no STARTTLS, no
   * connection to start TLS on), in a reply no larger than the probe, and the socket serves the
   * next plaintext call, which knows it is not inside TLS.
   */
  @Test
  void aProbeOverUdpIsRefusedWithoutStartTlsAndTheSocketServesOn() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    try (RpcServer server = server(ran, 1, Transport.TCP, Transport.UDP);
        DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      udp.setSoTimeout(30_000);
      InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
      byte[] p = probe(5);
      udp.send(new DatagramPacket(p, p.length, to));
      byte[] buf = new byte[2048];
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      udp.receive(in);
      byte[] reply = Arrays.copyOf(buf, in.getLength());
      ReplyHeader header = RpcMessages.readReply(new XdrReader(Unpooled.wrappedBuffer(reply)));
      assertEquals(5, header.xid());
      assertEquals(RpcStatus.AUTH_ERROR, header.status());
      assertEquals(AuthStatus.AUTH_REJECTEDCRED, header.authStatus());
      assertFalse(new String(reply, StandardCharsets.ISO_8859_1).contains("STARTTLS"));
      assertTrue(reply.length <= p.length, reply.length + " bytes for a " + p.length + "-byte probe");

      byte[] call = seen(6);
      udp.send(new DatagramPacket(call, call.length, to));
      in = new DatagramPacket(buf, buf.length);
      udp.receive(in);
      ByteBuffer answer = ByteBuffer.wrap(buf, 0, in.getLength());
      assertEquals(6, answer.getInt(0));
      assertEquals(0, answer.getInt(in.getLength() - 4), "not inside TLS");
      assertEquals(1, ran.get());
    }
  }

  /**
   * Probes answered STARTTLS whose peers then half-close instead of a handshake: each
   * connection goes (after at most TLS's alert), and with it its address's one handshake slot, so a client at the same
   * address still gets its handshake (with a slot kept, it would wait for it without end).
   */
  @Test
  void probesFollowedByAHalfCloseGiveTheirHandshakeSlotBack() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    try (RpcServer server = server(ran, 1, Transport.TCP)) {
      for (int i = 0; i < 5; i++) {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
          raw.setSoTimeout(30_000);
          raw.getOutputStream().write(record(probe(4)));
          byte[] startTls = RawTcpPeer.readRecord(new DataInputStream(raw.getInputStream()));
          assertTrue(new String(startTls, StandardCharsets.ISO_8859_1).contains("STARTTLS"));
          raw.shutdownOutput();
          // At most a TLS alert (the SslHandler's, at end of stream), then the close.
          byte[] rest = raw.getInputStream().readNBytes(64);
          assertTrue(rest.length < 64, "closed at the half-close, after " + rest.length + " bytes");
        }
      }
      Await.until(() -> server.connections() == 0 && server.bufferedBytes() == 0
          && Arrays.equals(new int[3], server.perClientEntries()));
      try (Socket next = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        assertTrue(seenInsideTls(next, server.port()));
      }
      assertEquals(1, ran.get());
    }
  }

  /**
   * An RFC 9289 client that calls in plaintext, reads the reply, then sends the probe has no
   * call running: it is answered STARTTLS, however late the server takes the end of the call
   * whose reply went out (a procedure on a worker sends its reply, then ends the call on the
   * event loop, which may read the probe first). Before, 28 of 300 such connections were closed
   * ("it sent the AUTH_TLS probe while 1 calls it sent before were running").
   */
  @Test
  void aProbeAfterTheRepliesOfEarlierCallsStartsTlsHoweverLateTheirEndsAreTaken() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    int closed = 0;
    int connections = 300;
    try (RpcServer server = server(ran, 1, Transport.TCP)) {
      for (int i = 0; i < connections; i++) {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
          raw.setSoTimeout(30_000);
          raw.getOutputStream().write(record(seen(3)));
          DataInputStream in = new DataInputStream(raw.getInputStream());
          byte[] plain = RawTcpPeer.readRecord(in);
          assertEquals(0, ByteBuffer.wrap(plain).getInt(plain.length - 4), "not inside TLS");
          raw.getOutputStream().write(record(probe(4)));
          try {
            byte[] startTls = RawTcpPeer.readRecord(in);
            assertTrue(new String(startTls, StandardCharsets.ISO_8859_1).contains("STARTTLS"));
          } catch (java.io.EOFException | java.net.SocketException e) {
            closed++;
          }
        }
      }
      assertEquals(0, closed, "connections closed at the probe, of " + connections);
      assertEquals(connections, ran.get());
    }
  }
}
