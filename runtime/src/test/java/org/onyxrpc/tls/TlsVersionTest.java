package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.ssl.ClientAuth;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerTls;
import org.onyxrpc.server.TlsMode;

/** A server speaks TLS 1.3 only unless told to allow 1.2; checked with the JDK's own SSLSocket. */
class TlsVersionTest {
  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  @Test
  void aTls12ClientIsRefusedByDefault() throws Exception {
    try (RpcServer s = start(false)) {
      assertThrows(SSLException.class, () -> handshakeWithTls12(s.port()));
    }
  }

  @Test
  void aTls12ClientIsServedWhenAllowed() throws Exception {
    try (RpcServer s = start(true)) {
      assertEquals("TLSv1.2", handshakeWithTls12(s.port()));
    }
  }

  private static RpcServer start(boolean allowTls12) throws Exception {
    return RpcServer.builder().port(0).addService(RpcTlsTest.whoAmI(new AtomicInteger()))
        .tls(new ServerTls(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE),
            TlsMode.REQUIRE, allowTls12))
        .build().start();
  }

  /** Probes, checks the STARTTLS reply byte for byte, then handshakes with TLS 1.2 only. */
  private static String handshakeWithTls12(int port) throws Exception {
    try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
      ByteBuffer probe = ByteBuffer.allocate(44).putInt(0x80000000 | 40).putInt(42).putInt(0)
          .putInt(2).putInt(RpcTlsTest.PROGRAM).putInt(1).putInt(0).putInt(7).putInt(0)
          .putInt(0).putInt(0);
      raw.getOutputStream().write(probe.array());
      byte[] reply = new byte[36];
      new DataInputStream(raw.getInputStream()).readFully(reply);
      ByteBuffer expected = ByteBuffer.allocate(36).putInt(0x80000000 | 32).putInt(42).putInt(1)
          .putInt(0).putInt(0).putInt(8).put("STARTTLS".getBytes(StandardCharsets.US_ASCII))
          .putInt(0);
      assertArrayEquals(expected.array(), reply, Arrays.toString(reply));
      SSLSocket tls = (SSLSocket) jdkContext().getSocketFactory()
          .createSocket(raw, "localhost", port, false);
      tls.setEnabledProtocols(new String[] {"TLSv1.2"});
      tls.startHandshake();
      return tls.getSession().getProtocol();
    }
  }

  private static SSLContext jdkContext() throws Exception {
    return TestCertificates.jdkClientContext(certs.ca(), "TLS");
  }
}
