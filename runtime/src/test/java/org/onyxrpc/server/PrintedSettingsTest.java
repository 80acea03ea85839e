package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.tls.TestCertificates;

/**
 * Builders, the configurations they build and the TLS records print their settings, as a
 * grpc-java user logs them at start-up: before, the builders and the configurations printed
 * {@code Object}'s text ({@code RpcServerBuilder@1b2c3d}), the TLS records their context's
 * ({@code sslContext=io.netty.handler.ssl.JdkSslServerContext@4e5f}). Never the key: built here
 * with a password-protected private key, whose PEM, bytes and password are looked for.
 */
class PrintedSettingsTest {
  private static final String PASSWORD = "s3cret-Pa55word";

  @Test
  void settingsPrintAndTheKeyNeverDoes(@TempDir Path dir) throws Exception {
    TestCertificates certificates = new TestCertificates(dir);
    TestCertificates.Authority ca = certificates.authority("ca");
    TestCertificates.KeyPair server = certificates.server(ca, "server", "DNS:localhost");
    TestCertificates.KeyPair client = certificates.client(ca, "client");
    File encrypted = dir.resolve("server-encrypted.key").toFile();
    openssl("pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-in", server.key().getPath(),
        "-out", encrypted.getPath(), "-passout", "pass:" + PASSWORD);
    SslContext serverContext = SslContextBuilder.forServer(server.certificate(), encrypted, PASSWORD)
        .sslProvider(SslProvider.JDK).clientAuth(ClientAuth.REQUIRE).trustManager(ca.certificate())
        .build();
    SslContext clientContext = TestCertificates.clientContext(ca, client);

    ServerTls serverTls = ServerTls.of(serverContext, TlsMode.REQUIRE);
    RpcServerBuilder serverBuilder = RpcServer.builder().port(0).transports(
        org.onyxrpc.transport.Transport.TCP).tls(serverTls).tcpIo(TcpIo.EVENT_LOOP) // TLS needs it
        .addService(new TestService().definition()).maxConnections(7);
    ClientTls clientTls = new ClientTls(clientContext, TestService.PROGRAM, 1, true, false, "localhost");
    RpcClientBuilder clientBuilder = RpcClient.builder().address("127.0.0.1", 111).tls(clientTls);
    String serverConfig = SettledConfig.of(serverBuilder).toString();

    assertEquals("ServerTls[sslContext=JdkSslServerContext (server), mode=REQUIRE, allowTls12=false,"
        + " maxHandshakesPerAddress=4]", serverTls.toString());
    assertEquals("ClientTls[sslContext=" + clientContext.getClass().getSimpleName() + " (client),"
        + " program=0x20000101, version=1, verifyHostname=true, allowTls12=false,"
        + " serverName=localhost]", clientTls.toString());
    for (String printed : List.of(serverBuilder.toString(), serverConfig)) {
      assertTrue(printed.contains("transports=[TCP]"), printed);
      assertTrue(printed.contains("maxConnections=7"), printed);
      assertTrue(printed.contains("tls=" + serverTls), printed);
      assertTrue(printed.contains("authenticator=default"), printed);
    }
    assertTrue(serverBuilder.toString().startsWith("RpcServerBuilder[bindAddress="), serverBuilder.toString());
    assertTrue(serverConfig.startsWith("ServerConfig[bindAddress="), serverConfig);
    // A builder that could not build yet (no service) prints what it holds all the same.
    assertTrue(RpcServer.builder().toString().contains("services=[]"), RpcServer.builder()::toString);
    String printedClient = clientBuilder.toString();
    assertTrue(printedClient.startsWith("RpcClientBuilder[address=127.0.0.1"), printedClient);
    assertTrue(printedClient.contains("timeout=PT25S") && printedClient.contains("tls=" + clientTls),
        printedClient);

    List<String> secrets = secrets(server.key(), encrypted, client.key());
    for (String printed : List.of(serverTls.toString(), clientTls.toString(),
        serverBuilder.toString(), serverConfig, printedClient)) {
      assertFalse(printed.contains(PASSWORD), printed);
      assertFalse(printed.contains("PRIVATE KEY"), printed);
      for (String secret : secrets) {
        assertFalse(printed.contains(secret), "key material in " + printed);
      }
    }
  }

  /** Each key file's PEM lines (16 characters of each: any would do), and its bytes in hex. */
  private static List<String> secrets(File... keys) throws Exception {
    List<String> secrets = new java.util.ArrayList<>();
    for (File key : keys) {
      String pem = Files.readString(key.toPath(), StandardCharsets.US_ASCII);
      StringBuilder body = new StringBuilder();
      for (String line : pem.lines().toList()) {
        if (!line.startsWith("-----") && line.length() >= 16) {
          secrets.add(line.substring(0, 16));
          body.append(line);
        }
      }
      byte[] der = Base64.getDecoder().decode(body.toString());
      secrets.add(HexFormat.of().formatHex(der, der.length - 16, der.length)); // its tail: the key
    }
    return secrets;
  }

  private static void openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, command + ": " + out);
  }
}
