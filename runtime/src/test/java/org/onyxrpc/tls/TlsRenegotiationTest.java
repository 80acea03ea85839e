package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerTls;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.testing.LeakDetection;

/**
 * A TLS 1.2 client that renegotiates after its handshake (allowed by the JDK's provider unless the
 * JVM is told otherwise) is disconnected: each renegotiation would cost the server a key exchange
 * outside its handshake slots, and could bring another certificate than the one the connection
 * was authenticated by. Other clients are served on.
 */
@ExtendWith(LeakDetection.class)
class TlsRenegotiationTest {
  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  @Test
  void aClientThatRenegotiatesIsDisconnected() throws Exception {
    try (RpcServer s = RpcServer.builder().port(0).addService(RpcTlsTest.whoAmI(new AtomicInteger()))
        .tls(new ServerTls(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE),
            TlsMode.REQUIRE, true))
        .build().start();
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
      raw.setSoTimeout(10_000);
      SSLSocket tls = RawStartTls.upgrade(raw, s.port(), certs.ca(), 42);
      tls.setEnabledProtocols(new String[] {"TLSv1.2"});
      tls.startHandshake();
      assertEquals("tls none", whoAmI(tls, 1), "served over TLS 1.2 before renegotiating");

      tls.startHandshake(); // a renegotiation: a new ClientHello in a handshake record
      assertTrue(closedByServer(tls), "the renegotiating connection is closed");

      try (RpcClient c = RpcClient.builder().address("localhost", s.port())
          .tls(ClientTls.of(TestCertificates.clientContext(certs.ca(), null), RpcTlsTest.PROGRAM, 1)).build()) {
        assertEquals("tls none", c.call(RpcTlsTest.WHO_AM_I, null), "other clients are served on");
      }
    }
  }

  /** Calls WHO_AM_I; returns its string, or null if the server closed the connection instead. */
  private static String whoAmI(SSLSocket tls, int xid) throws IOException {
    tls.getOutputStream().write(RawStartTls.call(xid, 0));
    tls.getOutputStream().flush();
    DataInputStream in = new DataInputStream(tls.getInputStream());
    byte[] record = new byte[in.readInt() & 0x7FFF_FFFF];
    in.readFully(record);
    ByteBuffer reply = ByteBuffer.wrap(record);
    reply.position(12);
    reply.position(reply.position() + 4 + ((reply.getInt(reply.position() + 4) + 3) & ~3) + 4 + 4);
    byte[] text = new byte[reply.getInt()];
    reply.get(text);
    return new String(text, StandardCharsets.UTF_8);
  }

  /**
   * True if the server closes the connection rather than finish the renegotiation and answer a
   * call: the call's read meets the end of the stream or a TLS error.
   */
  private static boolean closedByServer(SSLSocket tls) {
    try {
      whoAmI(tls, 2);
      return false;
    } catch (IOException e) { // EOFException, SSLException, a reset
      return true;
    }
  }

}
