package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.ssl.ClientAuth;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.TlsMode;

/**
 * An RFC 9289 client independent of Onyx ({@code starttls_client.py}, on Python's ssl module and
 * OpenSSL) probes with AUTH_TLS over a raw socket, reads STARTTLS, makes a TLS 1.3 handshake with
 * its own certificate and calls inside: proof that the exchange is the standard one.
 */
class PythonStartTlsClientTest {
  @TempDir Path dir;

  @Test
  void aPythonClientStartsTlsAndCallsWithItsCertificate() throws Exception {
    TestCertificates.requireTool("python3", "-c", "import ssl; ssl.TLSVersion.TLSv1_3");
    TestCertificates certs = new TestCertificates(dir);
    TestCertificates.Authority ca = certs.authority("test-ca");
    TestCertificates.KeyPair server = certs.server(ca, "localhost", "DNS:localhost,IP:127.0.0.1");
    TestCertificates.KeyPair client = certs.client(ca, "python");
    Path script = dir.resolve("starttls_client.py");
    try (InputStream in = getClass().getResourceAsStream("/tls/starttls_client.py")) {
      Files.copy(in, script);
    }
    AtomicInteger ran = new AtomicInteger();
    try (RpcServer s = RpcServer.builder().port(0).addService(RpcTlsTest.whoAmI(ran))
        .tls(TestCertificates.serverContext(server, ca, ClientAuth.REQUIRE), TlsMode.REQUIRE)
        .build().start()) {
      Path output = dir.resolve("python.out");
      Process p = new ProcessBuilder("python3", script.toString(), "127.0.0.1",
          Integer.toString(s.port()), "localhost", ca.certificate().getPath(),
          client.certificate().getPath(), client.key().getPath(),
          Integer.toString(RpcTlsTest.PROGRAM), "1", "hello over TLS")
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      boolean finished = p.waitFor(60, TimeUnit.SECONDS);
      if (!finished) {
        p.destroyForcibly();
      }
      String out = Files.readString(output, StandardCharsets.UTF_8);
      assertEquals(0, finished ? p.exitValue() : -1, out);
      assertEquals(List.of("tls TLSv1.3", "tls CN=python", "hello over TLS"), out.lines().toList());
      assertEquals(1, ran.get());
    }
  }
}
