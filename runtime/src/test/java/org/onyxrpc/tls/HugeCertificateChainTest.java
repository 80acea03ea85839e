package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.testing.LeakDetection;

/**
 * A peer that presents a huge certificate chain: its certificate, then the CA's again and again
 * (Python's ssl module, OpenSSL, sends any chain it is given; Java's key stores refuse one that
 * does not chain). The engines bound it, not Onyx: the JDK's takes at most 10 certificates
 * ({@code jdk.tls.maxCertificateChainLength}) in a handshake message of at most 32 KiB
 * ({@code jdk.tls.maxHandshakeMessageSize}), BoringSSL's a certificate list of at most 100 KiB
 * (Netty's {@code OpenSslContextOption.MAX_CERTIFICATE_LIST_BYTES}), so what a handshake holds
 * is bounded by those. Past them, the client's calls fail UNAVAILABLE, nothing sent, naming the
 * limit and its setting; before, they carried the engine's words alone ("The size of the
 * handshake message (75600) exceeds the maximum allowed size (32768)", "error:10000096:SSL
 * routines:OPENSSL_internal:EXCESSIVE_MESSAGE_SIZE"). Under BoringSSL's bound a chain of 200
 * (about 75 KB) is taken, by a client or a server, and held for the connection's life.
 */
@ExtendWith(LeakDetection.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HugeCertificateChainTest {
  @TempDir static Path dir;
  static TestCertificates.Authority ca;
  static TestCertificates.KeyPair server;
  static TestCertificates.KeyPair client;

  @BeforeAll
  static void certificates() throws Exception {
    TestCertificates.requireTool("python3", "-c", "import ssl; ssl.TLSVersion.TLSv1_3");
    TestCertificates t = new TestCertificates(dir);
    ca = t.authority("ca");
    server = t.server(ca, "localhost", "DNS:localhost,IP:127.0.0.1");
    client = t.client(ca, "caller");
    for (String script : new String[] {"ticket_answer_server.py", "starttls_client.py"}) {
      try (InputStream in = HugeCertificateChainTest.class.getResourceAsStream("/tls/" + script)) {
        Files.copy(in, dir.resolve(script));
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "JDK, 20, 'chain is longer than this client takes: The certificate chain length (11) exceeds the maximum allowed length (10) (system property jdk.tls.maxCertificateChainLength)'",
    "JDK, 200, 'exceeds the maximum allowed size (32768) (system property jdk.tls.maxHandshakeMessageSize)'",
    "JDK, 2600, 'exceeds the maximum allowed size (32768) (system property jdk.tls.maxHandshakeMessageSize)'",
    "OPENSSL, 2600, 'EXCESSIVE_MESSAGE_SIZE (for a certificate chain, Netty''s OpenSslContextOption.MAX_CERTIFICATE_LIST_BYTES)'"})
  void aServersChainOverTheEnginesLimitIsRefusedNamingTheLimit(SslProvider provider, int copies,
      String why) throws Exception {
    Process peer = new ProcessBuilder("python3", dir.resolve("ticket_answer_server.py").toString(),
        chain(server.certificate(), copies).getPath(), server.key().getPath(), "0", "1")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(peer.getInputStream(), StandardCharsets.US_ASCII));
        RpcClient c = RpcClient.builder().address("localhost", Integer.parseInt(out.readLine()))
            .tls(ClientTls.of(TestCertificates.clientContext(ca, null, provider), RpcTlsTest.PROGRAM, 1))
            .build()) {
      RpcException e = assertThrows(RpcException.class, () -> c.ping(RpcTlsTest.PROGRAM, 1));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains("TLS handshake failed: ") && e.getMessage().contains(why),
          e.getMessage());
    } finally {
      peer.destroyForcibly();
      peer.waitFor();
    }
  }

  @Test
  void openSslsClientTakesAChainOf200UnderItsListBound() throws Exception {
    Process peer = new ProcessBuilder("python3", dir.resolve("ticket_answer_server.py").toString(),
        chain(server.certificate(), 200).getPath(), server.key().getPath(), "0", "1")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(peer.getInputStream(), StandardCharsets.US_ASCII));
        RpcClient c = RpcClient.builder().address("localhost", Integer.parseInt(out.readLine()))
            .tls(ClientTls.of(TestCertificates.clientContext(ca, null, SslProvider.OPENSSL),
                RpcTlsTest.PROGRAM, 1)).build()) {
      c.ping(RpcTlsTest.PROGRAM, 1);
    } finally {
      peer.destroyForcibly();
      peer.waitFor();
    }
  }

  /**
   * Python's client, which fails once the server refuses its certificate (in TLS 1.3, after its
   * own side of the handshake is done); the server says why in a WARN line ("closing …:
   * javax.net.ssl.SSLProtocolException: The size of the handshake message (75569) exceeds the
   * maximum allowed size (32768)" from the JDK's engine).
   */
  @ParameterizedTest
  @CsvSource({"JDK, 20, false", "JDK, 200, false", "JDK, 2600, false", "OPENSSL, 200, true",
      "OPENSSL, 2600, false"})
  void aClientsChainOverTheServersEngineLimitIsRefused(SslProvider provider, int copies,
      boolean taken) throws Exception {
    SslContext context = SslContextBuilder.forServer(server.certificate(), server.key())
        .sslProvider(provider).clientAuth(ClientAuth.REQUIRE).trustManager(ca.certificate()).build();
    AtomicInteger ran = new AtomicInteger();
    try (RpcServer s = RpcServer.builder().port(0).addService(RpcTlsTest.whoAmI(ran))
        .tls(context, TlsMode.REQUIRE).build().start()) {
      Path output = dir.resolve("python-" + provider + "-" + copies + ".out");
      Process peer = new ProcessBuilder("python3", dir.resolve("starttls_client.py").toString(),
          "127.0.0.1", Integer.toString(s.port()), "localhost", ca.certificate().getPath(),
          chain(client.certificate(), copies).getPath(), client.key().getPath(),
          Integer.toString(RpcTlsTest.PROGRAM), "1", "hello")
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      assertTrue(peer.waitFor(60, TimeUnit.SECONDS), "the client finished");
      String said = Files.readString(output, StandardCharsets.UTF_8);
      assertEquals(taken, peer.exitValue() == 0, said);
      assertEquals(taken ? 1 : 0, ran.get(), "who-am-I calls run: " + said);
    }
  }

  /** {@code leaf}, then the CA's certificate {@code copies} times. */
  private static File chain(File leaf, int copies) throws Exception {
    String ca = Files.readString(HugeCertificateChainTest.ca.certificate().toPath(), StandardCharsets.US_ASCII);
    StringBuilder pem = new StringBuilder(Files.readString(leaf.toPath(), StandardCharsets.US_ASCII));
    pem.append(ca.repeat(copies));
    Path file = dir.resolve(leaf.getName() + "-" + copies + ".pem");
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
    return file.toFile();
  }
}
