package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.health.Health;
import org.onyxrpc.server.CallScope;
import org.onyxrpc.server.CertificateAuthenticator;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.server.TlsMode;

/**
 * The README's "Security" snippets are this test's code, in order: a mutual-TLS call, and the
 * certificate authenticator that lets that client's subject call its program.
 */
class ReadmeSecurityTest {
  private static final Path SOURCE =
      Path.of("src/test/java/org/onyxrpc/tls/ReadmeSecurityTest.java");
  private static final Pattern SECTION =
      Pattern.compile("\n## Security\n(.*?)\n## ", Pattern.DOTALL);
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void theSnippetIsThisTestsCodeAndWorks() throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    TestCertificates.Authority ca = certs.authority("test-ca");
    TestCertificates.KeyPair serverPair = certs.server(ca, "localhost", "DNS:localhost,IP:127.0.0.1");
    TestCertificates.KeyPair clientPair = certs.client(ca, "readme");
    File caCert = ca.certificate();
    File serverCert = serverPair.certificate();
    File serverKey = serverPair.key();
    File clientCert = clientPair.certificate();
    File clientKey = clientPair.key();
    int port = 0;
    ServiceDefinition service = RpcTlsTest.whoAmI(new AtomicInteger());
    int PROGRAM = RpcTlsTest.PROGRAM; // the names the README uses
    int VERSION = 1;
    CertificateAuthenticator authenticator = authenticator();

    // README:begin
    SslContext serverContext = SslContextBuilder.forServer(serverCert, serverKey)
        .trustManager(caCert).clientAuth(ClientAuth.REQUIRE).build();
    RpcServer server = RpcServer.builder().port(port).addService(service)
        .tls(serverContext, TlsMode.REQUIRE)
        .authenticator(authenticator)
        .build().start();

    SslContext clientContext = SslContextBuilder.forClient()
        .trustManager(caCert).keyManager(clientCert, clientKey).build();
    RpcClient client = RpcClient.builder().address("localhost", server.port())
        .tls(ClientTls.of(clientContext, PROGRAM, VERSION))
        .build();
    // README:end

    try (server; client) {
      assertEquals("tls CN=readme", client.call(RpcTlsTest.WHO_AM_I, null));
    }

    Matcher section = SECTION.matcher(Files.readString(readme()));
    assertTrue(section.find(), "README.md: no Security section");
    Matcher block = JAVA_BLOCK.matcher(section.group(1));
    for (String snippet : snippets()) {
      assertTrue(block.find(), "README.md: too few java blocks in the Security section");
      assertEquals(block.group(1).strip(), snippet, "README.md's Security snippet differs from "
          + SOURCE);
    }
  }

  private static CertificateAuthenticator authenticator() {
    int PROGRAM = RpcTlsTest.PROGRAM;
    int HEALTH = Health.PROGRAM;
    // README:begin
    CertificateAuthenticator authenticator = CertificateAuthenticator.builder()
        .allowSubject("CN=readme", CallScope.program(PROGRAM))      // or allowDnsName, allowUri
        .allowWithoutCertificate(CallScope.program(HEALTH))         // anyone may ask for health
        .build();                                                   // everything else: AUTH_ERROR
    // README:end
    return authenticator;
  }

  /** The regions between README:begin and README:end, in order, unindented. */
  private static List<String> snippets() throws Exception {
    String source = Files.readString(SOURCE);
    List<String> snippets = new ArrayList<>();
    for (int at = source.indexOf("// README:begin\n"); at >= 0;
        at = source.indexOf("// README:begin\n", at + 1)) {
      String region = source.substring(at + 16, source.indexOf("    // README:end", at));
      snippets.add(region.lines().map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
          .collect(Collectors.joining("\n")).strip());
    }
    return snippets;
  }

  private static Path readme() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("README.md")) || !Files.exists(dir.resolve("runtime"))) {
      dir = dir.getParent();
    }
    return dir.resolve("README.md");
  }
}
