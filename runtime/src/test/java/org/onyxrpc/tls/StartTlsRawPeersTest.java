package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.ClientAuth;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrReader;

/**
 * RFC 9289's STARTTLS driven by raw peers that do more than the probe and a handshake: a second
 * probe once TLS is up, and a ClientHello trickled a byte at a time. What is probed here held.
 */
@ExtendWith(LeakDetection.class)
class StartTlsRawPeersTest {
  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();
  /** The attacker's pace between the bytes of its ClientHello. */
  private static final long TRICKLE_MILLIS = 200;

  private static RpcServer server(Duration recordTimeout) throws Exception {
    return RpcServer.builder().port(0).transports(Transport.TCP).recordTimeout(recordTimeout)
        .addService(RpcTlsTest.whoAmI(new AtomicInteger()))
        .tls(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE),
            TlsMode.REQUIRE)
        .build().start();
  }

  private static byte[] readRecord(InputStream in) throws IOException {
    return RawTcpPeer.readRecord(new DataInputStream(in));
  }

  /**
   * A second AUTH_TLS probe inside TLS is not a STARTTLS (no TLS inside TLS): it is answered as
   * any NULL call, its verifier not STARTTLS's, and the connection serves on in TLS.
   */
  @Test
  void aSecondProbeInsideTlsIsNoStartTlsAndTheConnectionServesOn() throws Exception {
    try (RpcServer s = server(Duration.ofSeconds(5));
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
      raw.setSoTimeout(10_000);
      SSLSocket tls = RawStartTls.upgrade(raw, s.port(), certs.ca(), 1);
      tls.startHandshake();
      tls.getOutputStream().write(RawStartTls.call(2, 7));
      byte[] second = readRecord(tls.getInputStream());
      ByteBuffer reply = ByteBuffer.wrap(second);
      assertEquals(2, reply.getInt(0));
      assertEquals(1, reply.getInt(4), "a reply");
      assertFalse(new String(second, StandardCharsets.ISO_8859_1).contains("STARTTLS"),
          "no second STARTTLS inside TLS");
      tls.getOutputStream().write(RawStartTls.call(3, 0));
      byte[] third = readRecord(tls.getInputStream());
      ReplyHeader header = RpcMessages.readReply(new XdrReader(Unpooled.wrappedBuffer(third)));
      assertEquals(3, header.xid());
      assertEquals(RpcStatus.SUCCESS, header.status(), "the connection serves on in TLS");
      tls.close();
    }
  }

  /**
   * A ClientHello trickled a byte every {@value #TRICKLE_MILLIS} ms: the handshake is given no
   * longer than a record (1 s here), however steadily its bytes come, and its connection is
   * closed long before the hello is whole; then a real client is served.
   */
  @Test
  void aClientHelloTrickledAByteAtATimeIsCutOffAtTheRecordTimeout() throws Exception {
    SSLEngine engine = TestCertificates.jdkClientContext(certs.ca(), "TLS")
        .createSSLEngine("localhost", 0);
    engine.setUseClientMode(true);
    ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), hello);
    hello.flip();
    try (RpcServer s = server(Duration.ofSeconds(1));
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
      raw.getOutputStream().write(RawStartTls.call(1, 7));
      new DataInputStream(raw.getInputStream()).readFully(new byte[36]);
      OutputStream out = raw.getOutputStream();
      int sent = 0;
      try {
        while (hello.hasRemaining()) {
          out.write(hello.get());
          out.flush();
          sent++;
          Thread.sleep(TRICKLE_MILLIS); // the attacker's pace, not a wait for the server
        }
      } catch (IOException e) {
        // closed by the server: reset, or broken pipe
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException();
      }
      assertTrue(sent < hello.limit(), "cut off after " + sent + " of " + hello.limit() + " bytes");
      try (RpcClient c = RpcClient.builder().address("localhost", s.port())
          .timeout(Duration.ofSeconds(20)).connectTimeout(Duration.ofSeconds(10))
          .tls(ClientTls.of(TestCertificates.clientContext(certs.ca(), null), RpcTlsTest.PROGRAM, 1))
          .build()) {
        assertEquals("tls none", c.call(RpcTlsTest.WHO_AM_I, null));
      }
    }
  }
}
