package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * An RPC-over-TLS client meets a server that speaks TLS from the first byte (stunnel in front of
 * an RPC server, say), not RFC 9289's STARTTLS: it answers the plaintext probe with a TLS alert.
 * Before, the client read the alert as a record mark and said "a record of at least 352518912
 * bytes exceeds the maximum".
 */
class ImplicitTlsServerTest {
  @TempDir static Path dir;

  @Test
  void aServerThatSpeaksTlsFromTheFirstByteIsNamed() throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    TestCertificates.Authority ca = certs.authority("test-ca");
    TestCertificates.KeyPair server = certs.server(ca, "localhost", "DNS:localhost,IP:127.0.0.1");
    SSLContext tls = ((JdkSslContext) TestCertificates.serverContext(server, null, ClientAuth.NONE)).context();
    try (SSLServerSocket listener = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 5);
      Thread t = new Thread(() -> {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
          InputStream in = s.getInputStream();
          in.read(); // the handshake fails on the probe: the JDK sends its alert and closes
        } catch (IOException expected) {
          // not TLS
        }
      }, "implicit-tls-server");
      t.setDaemon(true);
      t.start();
      try (RpcClient client = RpcClient.builder().address("localhost", listener.getLocalPort())
          .connectTimeout(Duration.ofSeconds(10))
          .tls(ClientTls.of(TestCertificates.clientContext(ca, null), RpcTlsTest.PROGRAM, 1)).build()) {
        RpcException e = assertThrows(RpcException.class, () -> client.call(RpcTlsTest.WHO_AM_I, null));
        assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains("the server answered the AUTH_TLS probe in TLS"), e.getMessage());
      }
    }
  }
}
