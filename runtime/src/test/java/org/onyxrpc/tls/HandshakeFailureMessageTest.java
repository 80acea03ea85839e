package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.TlsMode;

/**
 * A TLS client's failed handshake names its cause, whichever engine the client's context uses.
 * Before, OpenSSL's said "General OpenSslEngine problem" in every case, and the JDK's "validity
 * check failed" for an expired certificate and "PKIX path building failed:
 * sun.security.provider.certpath.SunCertPathBuilderException: ..." for an unknown authority.
 */
class HandshakeFailureMessageTest {
  @TempDir static Path dir;
  static TestCertificates.Authority ca;
  static TestCertificates.Authority otherCa;
  static TestCertificates.KeyPair server;
  static TestCertificates.KeyPair expired;
  static TestCertificates.KeyPair elsewhere;
  static TestCertificates.KeyPair manyNames;

  @BeforeAll
  static void certificates() throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    ca = certs.authority("test-ca");
    otherCa = certs.authority("other-ca");
    server = certs.server(ca, "localhost", "DNS:localhost,IP:127.0.0.1");
    expired = certs.expiredServer(ca, "expired");
    elsewhere = certs.server(ca, "elsewhere", "DNS:elsewhere.example");
    manyNames = certs.server(ca, "many", IntStream.range(0, 60)
        .mapToObj(i -> "DNS:host-" + i + "-" + "x".repeat(40) + ".example")
        .collect(Collectors.joining(",")));
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void anUnknownAuthorityIsNamed(SslProvider provider) throws Exception {
    assertRefused(server, TestCertificates.clientContext(otherCa, null, provider),
        "TLS handshake failed: the server's certificate is not issued by an authority this client trusts");
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void anExpiredCertificateIsNamed(SslProvider provider) throws Exception {
    assertRefused(expired, TestCertificates.clientContext(ca, null, provider),
        "TLS handshake failed: the server's certificate has expired (NotAfter: ");
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void anotherHostsCertificateIsNamed(SslProvider provider) throws Exception {
    assertRefused(elsewhere, TestCertificates.clientContext(ca, null, provider),
        "TLS handshake failed: the server's certificate is not for the host name called (");
  }

  /**
   * A server given another certificate's key file starts, and signs its handshakes with a key its
   * certificate does not name. Before, the JDK client said "Invalid CertificateVerify signature",
   * which names a TLS message, not what to fix.
   */
  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void aServerKeyThatIsNotItsCertificatesIsNamed(SslProvider provider) throws Exception {
    assertRefused(new TestCertificates.KeyPair(server.certificate(), elsewhere.key()),
        TestCertificates.clientContext(ca, null, provider),
        "TLS handshake failed: the server's handshake signature does not match its certificate's"
            + " public key: the server's private key is not its certificate's (");
  }

  /** The engines quote the server's names; a server chooses how many: the message is cut short. */
  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void theServersNamesAreQuotedShort(SslProvider provider) throws Exception {
    String message = assertRefused(manyNames, TestCertificates.clientContext(ca, null, provider),
        "the server's certificate is not for the host name called (");
    String why = message.substring(message.indexOf("TLS handshake failed: "));
    assertTrue(why.length() < 400, why);
    assertFalse(why.contains("host-59-"), why);
  }

  /** Before: "the server refused this client's TLS session: bad_certificate", and no more. */
  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void aClientWithoutACertificateIsToldTheServerMayRequireOne(SslProvider provider) throws Exception {
    String message = refusedByAServerThatRequiresClientCertificates(
        TestCertificates.clientContext(ca, null, provider));
    assertTrue(message.contains("the server refused this client's TLS session: "), message);
    assertTrue(message.endsWith(" (this client sent no certificate: the server may require one, issued by an authority it trusts)"), message);
  }

  /**
   * Before: "cannot reach tcp localhost:N to call Tls.whoAmI (…): NULL (…) to tcp localhost:N did
   * not run: the server refused …": a call that waited for the NULL ping going first (a
   * retransmitting call's, to a server new to the client) quoted the ping's whole message.
   */
  @Test
  void aCallThatWaitedForTheFirstPingSaysOnceWhatTheServerRefused() throws Exception {
    String message = refusedByAServerThatRequiresClientCertificates(
        TestCertificates.clientContext(ca, null, SslProvider.JDK));
    assertTrue(message.matches("cannot reach tcp localhost:\\d+ to call Tls\\.whoAmI \\([^)]*\\):"
        + " the server refused this client's TLS session: \\w+ \\(this client sent no certificate: .*\\)"),
        message);
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void aClientWhoseCertificateIsRefusedIsNotToldItSentNone(SslProvider provider) throws Exception {
    String message = refusedByAServerThatRequiresClientCertificates(
        TestCertificates.clientContext(ca, expired, provider)); // sent, and refused as expired
    assertTrue(message.contains("the server refused this client's TLS session: "), message);
    assertFalse(message.contains("sent no certificate"), message);
  }

  /** Before: "the server refused this client's TLS session: certificate_unknown", and no more. */
  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void aClientWhoseCertificateExpiredIsToldSo(SslProvider provider) throws Exception {
    String message = refusedByAServerThatRequiresClientCertificates(
        TestCertificates.clientContext(ca, expired, provider));
    assertTrue(message.contains("the server refused this client's TLS session: "), message);
    assertTrue(message.matches(".* \\(this client's certificate expired at \\S+Z \\(NotAfter\\)\\)$"),
        message);
  }

  /** Before: one WARN line per call, however fast an application retried. */
  @Test
  void aRefusedSessionIsLoggedOnceForManyCalls() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (RpcServer s = RpcServer.builder().port(0).addService(RpcTlsTest.whoAmI(new AtomicInteger()))
            .tls(TestCertificates.serverContext(server, ca, ClientAuth.REQUIRE), TlsMode.REQUIRE)
            .build().start();
        RpcClient tls = client(s, TestCertificates.clientContext(ca, null))) {
      for (int i = 0; i < 5; i++) {
        RpcException e = assertThrows(RpcException.class, () -> tls.call(RpcTlsTest.WHO_AM_I, null));
        assertTrue(e.getMessage().contains("the server refused this client's TLS session: "), e.getMessage());
      }
    } finally {
      System.setErr(stderr);
    }
    String logged = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, logged.lines()
        .filter(l -> l.contains(" WARN ") && l.contains("the server refused this client's TLS session"))
        .count(), logged);
  }

  /**
   * Before: a second WARN line for the same refusal, "closing the connection to ...:
   * SSLHandshakeException: Received fatal alert: ...", from the connection beside the client's own.
   * (That line's limiter is shared by every client in the JVM: it fails before only when no other
   * test closed a connection in the 10 s before, as when this class runs alone.)
   */
  @Test
  void aRefusedSessionIsOneWarnLine() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (RpcServer s = RpcServer.builder().port(0).addService(RpcTlsTest.whoAmI(new AtomicInteger()))
            .tls(TestCertificates.serverContext(server, ca, ClientAuth.REQUIRE), TlsMode.REQUIRE)
            .build().start();
        RpcClient tls = client(s, TestCertificates.clientContext(ca, null))) {
      RpcException e = assertThrows(RpcException.class, () -> tls.call(RpcTlsTest.WHO_AM_I, null));
      assertTrue(e.getMessage().contains("the server refused this client's TLS session: "), e.getMessage());
    } finally {
      System.setErr(stderr);
    }
    String logged = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, logged.lines()
        .filter(l -> l.contains(" WARN org.onyxrpc.client.")).count(), logged);
  }

  private static String refusedByAServerThatRequiresClientCertificates(SslContext clientContext)
      throws Exception {
    AtomicInteger ran = new AtomicInteger();
    try (RpcServer s = RpcServer.builder().port(0).addService(RpcTlsTest.whoAmI(ran))
            .tls(TestCertificates.serverContext(server, ca, ClientAuth.REQUIRE), TlsMode.REQUIRE)
            .build().start();
        RpcClient tls = client(s, clientContext)) {
      RpcException e = assertThrows(RpcException.class, () -> tls.call(RpcTlsTest.WHO_AM_I, null));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      assertEquals(0, ran.get());
      return e.getMessage();
    }
  }

  @Test
  void aServerWithoutTlsIsSaidToOfferNone() throws Exception {
    try (RpcServer s = RpcServer.builder().port(0)
            .addService(RpcTlsTest.whoAmI(new AtomicInteger())).build().start();
        RpcClient tls = client(s, TestCertificates.clientContext(ca, null))) {
      RpcException e = assertThrows(RpcException.class, () -> tls.call(RpcTlsTest.WHO_AM_I, null));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains("the server does not offer TLS (it refused the AUTH_TLS"
          + " probe: AUTH_ERROR AUTH_REJECTEDCRED)"), e.getMessage());
    }
  }

  /** Before: "server refused the credentials of ...: AUTH_TOOWEAK", and nothing about TLS. */
  @Test
  void aPlaintextCallToAServerThatRequiresTlsSaysWhatItWants() throws Exception {
    try (RpcServer s = RpcServer.builder().port(0).addService(RpcTlsTest.whoAmI(new AtomicInteger()))
            .tls(TestCertificates.serverContext(server, ca, ClientAuth.NONE), TlsMode.REQUIRE)
            .build().start();
        RpcClient plain = RpcClient.builder().address("localhost", s.port()).build()) {
      RpcException e = assertThrows(RpcException.class, () -> plain.call(RpcTlsTest.WHO_AM_I, null));
      assertEquals(RpcStatus.AUTH_ERROR, e.status(), e.getMessage());
      assertTrue(e.getMessage().endsWith("AUTH_TOOWEAK (the server wants stronger security:"
          + " AUTH_SYS rather than AUTH_NONE, TLS, or a client certificate it accepts)"), e.getMessage());
    }
  }

  /** Asserts the call fails UNAVAILABLE, having run nothing, saying {@code why}; its message. */
  private static String assertRefused(TestCertificates.KeyPair cert, SslContext clientContext,
      String why) throws Exception {
    AtomicInteger ran = new AtomicInteger();
    try (RpcServer s = RpcServer.builder().port(0).addService(RpcTlsTest.whoAmI(ran))
            .tls(TestCertificates.serverContext(cert, ca, ClientAuth.NONE), TlsMode.REQUIRE)
            .build().start();
        RpcClient tls = client(s, clientContext)) {
      RpcException e = assertThrows(RpcException.class, () -> tls.call(RpcTlsTest.WHO_AM_I, null));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains(why), e.getMessage());
      assertEquals(0, ran.get());
      return e.getMessage();
    }
  }

  private static RpcClient client(RpcServer server, SslContext context) {
    return RpcClient.builder().address("localhost", server.port())
        .timeout(Duration.ofSeconds(20)).connectTimeout(Duration.ofSeconds(10))
        .tls(ClientTls.of(context, RpcTlsTest.PROGRAM, 1)).build();
  }
}
