package org.onyxrpc.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.health.Health;
import org.onyxrpc.health.HealthService;
import org.onyxrpc.health.ServingStatus;
import org.onyxrpc.server.CallScope;
import org.onyxrpc.server.CertificateAuthenticator;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.tls.TestCertificates;

/**
 * {@code onyx call} and {@code onyx ping} over RPC-over-TLS against an Onyx calculator that
 * requires TLS and lets only the client certificate {@code CN=cli-client} call the calculator
 * (the health service is open to any TLS caller): the options reach the handshake, a wrong CA
 * or name fails it, and plaintext is refused.
 */
class OnyxTlsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;
  private static RpcServer calculator;
  private static String address;

  @BeforeAll
  static void start() throws Exception {
    Files.copy(Path.of("src/test/idl/calculator.idl"), work.resolve("calculator.idl"));
    TestCertificates certificates = new TestCertificates(work); // ca.pem, ca.key and so on
    TestCertificates.Authority ca = certificates.authority("ca");
    certificates.authority("other-ca");
    TestCertificates.KeyPair server = certificates.server(ca, "server", "DNS:localhost,IP:127.0.0.1");
    certificates.client(ca, "cli-client");
    certificates.client(ca, "other-client");
    HealthService health = new HealthService();
    health.set(Calculator.NAME, ServingStatus.SERVING);
    SslContext context = TestCertificates.serverContext(server, ca, ClientAuth.OPTIONAL);
    calculator = Calculator.serve(Directory.none(), health, b -> b
        .tls(context, TlsMode.REQUIRE)
        .authenticator(CertificateAuthenticator.builder()
            .allowSubject("CN=cli-client", CallScope.program(Calculator.PROGRAM))
            .allowWithoutCertificate(CallScope.program(Health.PROGRAM))
            .build()));
    address = "127.0.0.1:" + calculator.port();
  }

  @AfterAll
  static void stop() {
    if (calculator != null) {
      calculator.close();
    }
  }

  private static OnyxJar.Result onyx(String... args) throws Exception {
    return OnyxJar.run(work, args);
  }

  /** {@code onyx call ADDRESS Calculator.add …} with {@code tls} options. */
  private static OnyxJar.Result add(String... tls) throws Exception {
    List<String> args = new ArrayList<>(List.of("call", address, "Calculator.add",
        "--idl", "calculator.idl", "-d", "{\"a\": 2, \"b\": 40}", "--timeout", "20s"));
    args.addAll(List.of(tls));
    return onyx(args.toArray(String[]::new));
  }

  private static final String[] MUTUAL = {"--tls-ca", "ca.pem", "--tls-cert", "cli-client.pem",
      "--tls-key", "cli-client.key"};

  @Test
  void callWithMutualTls() throws Exception {
    OnyxJar.Result sum = add(MUTUAL);
    assertEquals(0, sum.exit(), sum::describe);
    assertEquals("42\n", sum.out());
  }

  @Test
  void pingWithMutualTlsAndHealth() throws Exception {
    List<String> args = new ArrayList<>(List.of("ping", address, "0x20000101", "1", "--health="
        + Calculator.NAME));
    args.addAll(List.of(MUTUAL));
    OnyxJar.Result ping = onyx(args.toArray(String[]::new));
    assertEquals(0, ping.exit(), ping::describe);
    assertTrue(ping.out().contains("program 0x20000101 version 1 ready and waiting (tcp 127.0.0.1:"),
        ping::describe);
    assertTrue(ping.out().contains("health of " + Calculator.NAME + ": SERVING"), ping::describe);
  }

  /** Before, the message told a call that had come over TLS to use TLS. */
  @Test
  void tlsWithoutAClientCertificateIsTooWeakForTheCalculator() throws Exception {
    OnyxJar.Result r = add("--tls-ca", "ca.pem");
    assertError(r, "AUTH_ERROR", "AUTH_TOOWEAK");
    String message = JSON.readTree(r.out()).path("message").asText();
    assertTrue(message.endsWith("(the server wants stronger security than AUTH_NONE over TLS without"
        + " a client certificate: a client certificate it accepts, or AUTH_SYS rather than AUTH_NONE)"),
        r::describe);
  }

  @Test
  void plaintextIsRefused() throws Exception {
    assertError(add(), "AUTH_ERROR", "AUTH_TOOWEAK");
  }

  @Test
  void aServerCertificateFromAnotherAuthorityFailsTheHandshake() throws Exception {
    assertError(add("--tls-ca", "other-ca.pem", "--tls-cert", "cli-client.pem", "--tls-key",
        "cli-client.key"), "UNAVAILABLE", null);
  }

  /**
   * Refused before anything is sent, naming both files once (the server would refuse the
   * handshake with a bare handshake_failure, which does not point at them).
   */
  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedAndToldOnce() throws Exception {
    OnyxJar.Result r = add("--tls-ca", "ca.pem", "--tls-cert", "cli-client.pem", "--tls-key", "other-client.key");
    assertEquals(2, r.exit(), r::describe);
    assertEquals("", r.out(), r::describe);
    assertEquals(1, r.err().split("the key is not the certificate's", -1).length - 1, r::describe);
    assertTrue(r.err().contains("--tls-cert cli-client.pem / --tls-key other-client.key: "), r::describe);
  }

  @Test
  void theServerNameIsCheckedInsteadOfTheHost() throws Exception {
    List<String> args = new ArrayList<>(List.of(MUTUAL));
    args.addAll(List.of("--tls-server-name", "localhost"));
    OnyxJar.Result named = add(args.toArray(String[]::new));
    assertEquals("42\n", named.out(), named::describe);
    args.set(args.size() - 1, "calculator.example");
    assertError(add(args.toArray(String[]::new)), "UNAVAILABLE", null);
  }

  @Test
  void optionsThatDoNotFitAreUsageErrors() throws Exception {
    OnyxJar.Result noKey = add("--tls-ca", "ca.pem", "--tls-cert", "cli-client.pem");
    assertEquals(2, noKey.exit(), noKey::describe);
    assertTrue(noKey.err().contains("--tls-cert and --tls-key go together"), noKey::describe);
    OnyxJar.Result udp = add("--tls", "--transport", "udp");
    assertEquals(2, udp.exit(), udp::describe);
    assertTrue(udp.err().contains("--tls needs --transport tcp"), udp::describe);
    OnyxJar.Result missing = add("--tls-ca", "no-such.pem");
    assertEquals(2, missing.exit(), missing::describe);
    assertTrue(missing.err().contains("--tls-ca no-such.pem: no such readable file"), missing::describe);
    OnyxJar.Result notPem = add("--tls-ca", "calculator.idl");
    assertEquals(2, notPem.exit(), notPem::describe);
    assertTrue(notPem.err().contains("--tls-ca calculator.idl: "), notPem::describe);
  }

  /** Exit 4 and the JSON error {@code status} (with {@code auth} reason, if not null). */
  private static void assertError(OnyxJar.Result result, String status, String auth) throws Exception {
    assertEquals(4, result.exit(), result::describe);
    JsonNode error = JSON.readTree(result.out());
    assertEquals(status, error.path("error").asText(), result::describe);
    if (auth != null) {
      assertEquals(auth, error.path("auth").asText(), result::describe);
    }
  }
}
