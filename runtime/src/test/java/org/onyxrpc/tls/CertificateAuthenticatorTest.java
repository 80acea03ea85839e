package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.Authenticator;
import org.onyxrpc.server.CallScope;
import org.onyxrpc.server.CertificateAuthenticator;
import org.onyxrpc.server.Peer;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/** The built-in authenticator that maps client certificates to the procedures they may call. */
class CertificateAuthenticatorTest {
  static final int PROGRAM = RpcTlsTest.PROGRAM;
  static final int OPEN_PROGRAM = 0x20000F02;
  static final Procedure<Void, String> WHO_AM_I = RpcTlsTest.WHO_AM_I;
  static final Procedure<String, String> ECHO = RpcTlsTest.ECHO;
  /** Tells who the credential says the caller is: the AUTH_SYS machine name, or the flavor. */
  static final Procedure<Void, String> CLAIM =
      new Procedure<>(OPEN_PROGRAM, 1, 1, "Open.claim", XdrCodecs.VOID, XdrCodecs.STRING);

  @TempDir static Path dir;
  static TestCertificates.Authority ca;
  static TestCertificates.KeyPair server;
  static TestCertificates.KeyPair alice;
  static TestCertificates.KeyPair mallory;
  static TestCertificates.KeyPair reporter;
  static TestCertificates.KeyPair auditor;

  final AtomicInteger ran = new AtomicInteger();

  @BeforeAll
  static void certificates() throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    ca = certs.authority("test-ca");
    server = certs.server(ca, "localhost", "DNS:localhost,IP:127.0.0.1");
    alice = certs.client(ca, "alice");
    mallory = certs.client(ca, "mallory");
    reporter = certs.client(ca, "reporter", "DNS:Reports.Example.com");
    auditor = certs.client(ca, "auditor", "URI:spiffe://example.com/audit");
  }

  /** Alice may call the whole program, reports.example.com only echo, the auditor version 1. */
  static CertificateAuthenticator rules() {
    return CertificateAuthenticator.builder()
        .allowSubject("cn=alice", CallScope.program(PROGRAM)) // canonical form: case does not matter
        .allowDnsName("reports.example.com", CallScope.procedure(PROGRAM, 1, ECHO.number()))
        .allowUri("spiffe://example.com/audit", CallScope.version(PROGRAM, 1))
        .allowWithoutCertificate(CallScope.program(OPEN_PROGRAM))
        .build();
  }

  private RpcServer start(TlsMode mode, ClientAuth clientAuth) throws Exception {
    ServiceDefinition open = ServiceDefinition.builder(OPEN_PROGRAM, 1)
        .procedure(CLAIM, (v, ctx) -> ctx.credentials() instanceof AuthSys sys
            ? sys.machineName() : ctx.credentials().toString())
        .build();
    return RpcServer.builder().port(0).transports(Transport.TCP)
        .addService(RpcTlsTest.whoAmI(ran)).addService(open)
        .tls(TestCertificates.serverContext(server, ca, clientAuth), mode)
        .authenticator(rules())
        .build().start();
  }

  private static RpcClientBuilder client(RpcServer server, TestCertificates.KeyPair own)
      throws Exception {
    return RpcClient.builder().address("localhost", server.port())
        .timeout(Duration.ofSeconds(20)).connectTimeout(Duration.ofSeconds(10))
        .tls(ClientTls.of(TestCertificates.clientContext(ca, own), PROGRAM, 1));
  }

  @Test
  void anAllowedSubjectCallsAndItsCredentialStillReachesTheProcedure() throws Exception {
    try (RpcServer s = start(TlsMode.REQUIRE, ClientAuth.REQUIRE);
        RpcClient tls = client(s, alice)
            .credentials(new AuthSys(1, "alice-laptop", 1000, 1000, new int[0])).build()) {
      assertEquals("tls CN=alice", tls.call(WHO_AM_I, null));
      assertEquals("hi", tls.call(ECHO, "hi"));
      assertEquals("alice-laptop", tls.call(CLAIM, null));
    }
  }

  @Test
  void anotherSubjectOfTheSameAuthorityIsRejected() throws Exception {
    try (RpcServer s = start(TlsMode.REQUIRE, ClientAuth.REQUIRE);
        RpcClient tls = client(s, mallory).build()) {
      assertAuthError(AuthStatus.AUTH_REJECTEDCRED, () -> tls.call(WHO_AM_I, null));
      assertEquals(0, ran.get());
      assertEquals("AUTH_NONE", tls.call(CLAIM, null)); // what needs no certificate still works
    }
  }

  @Test
  void aDnsNameAdmitsItsProcedureAndItsVersionsNullProcedureOnly() throws Exception {
    try (RpcServer s = start(TlsMode.REQUIRE, ClientAuth.REQUIRE);
        RpcClient tls = client(s, reporter).build()) {
      assertEquals("hi", tls.call(ECHO, "hi")); // the name matched in any case
      tls.ping(PROGRAM, 1);
      assertAuthError(AuthStatus.AUTH_REJECTEDCRED, () -> tls.call(WHO_AM_I, null));
      assertEquals(0, ran.get());
    }
  }

  @Test
  void aUriAdmitsItsVersion() throws Exception {
    try (RpcServer s = start(TlsMode.REQUIRE, ClientAuth.REQUIRE);
        RpcClient tls = client(s, auditor).build()) {
      assertEquals("tls CN=auditor", tls.call(WHO_AM_I, null));
    }
  }

  /** Before, the message suggested TLS to a call that had come over TLS. */
  @Test
  void tlsWithoutAClientCertificateIsTooWeak() throws Exception {
    try (RpcServer s = start(TlsMode.REQUIRE, ClientAuth.OPTIONAL);
        RpcClient tls = client(s, null).build()) {
      RpcException e = assertAuthError(AuthStatus.AUTH_TOOWEAK, () -> tls.call(WHO_AM_I, null));
      assertEquals(0, ran.get());
      assertEquals("AUTH_NONE", tls.call(CLAIM, null));
      assertTrue(e.getMessage().endsWith("AUTH_TOOWEAK (the server wants stronger security than"
          + " AUTH_NONE over TLS without a client certificate: a client certificate it accepts, or"
          + " AUTH_SYS rather than AUTH_NONE)"), e.getMessage());
    }
  }

  /**
   * A certificate the server admits, and credentials it finds too weak beside it: the message
   * suggested TLS and a client certificate, which the call had.
   */
  @Test
  void aCertifiedCallWhoseCredentialsAreTooWeakIsNotToldToUseTls() throws Exception {
    Authenticator sysOnly = call -> {
      if (call.credential().flavor() != OpaqueAuth.AUTH_SYS) {
        throw RpcException.authError(AuthStatus.AUTH_TOOWEAK, "AUTH_SYS wanted");
      }
      return Authenticator.DEFAULT.authenticate(call);
    };
    try (RpcServer s = RpcServer.builder().port(0).addService(RpcTlsTest.whoAmI(ran))
            .tls(TestCertificates.serverContext(server, ca, ClientAuth.REQUIRE), TlsMode.REQUIRE)
            .authenticator(CertificateAuthenticator.builder()
                .allowSubject("CN=alice", CallScope.program(PROGRAM)).then(sysOnly).build())
            .build().start();
        RpcClient tls = client(s, alice).build()) {
      RpcException e = assertAuthError(AuthStatus.AUTH_TOOWEAK, () -> tls.call(WHO_AM_I, null));
      assertEquals(0, ran.get());
      assertTrue(e.getMessage().endsWith("AUTH_TOOWEAK (the server wants stronger security than"
          + " AUTH_NONE over TLS with this client's certificate: AUTH_SYS rather than AUTH_NONE, or"
          + " another certificate it accepts)"), e.getMessage());
    }
  }

  @Test
  void aPlaintextCallToAProcedureThatNeedsACertificateIsTooWeak() throws Exception {
    try (RpcServer s = start(TlsMode.OFFER, ClientAuth.OPTIONAL);
        RpcClient plain = RpcClient.builder().address("localhost", s.port())
            .timeout(Duration.ofSeconds(20)).build()) {
      RpcException e = assertAuthError(AuthStatus.AUTH_TOOWEAK, () -> plain.call(WHO_AM_I, null));
      assertEquals(0, ran.get());
      assertEquals("AUTH_NONE", plain.call(CLAIM, null));
      assertTrue(e.getMessage().contains("AUTH_TOOWEAK"), e.getMessage());
    }
  }

  @Test
  void withoutAPeerOnlyWhatNeedsNoCertificateIsAdmittedAndTheCredentialGoesOn() {
    Authenticator claimsOnly = call -> Credentials.NONE; // a lambda still makes an authenticator
    CertificateAuthenticator auth = CertificateAuthenticator.builder()
        .allowWithoutCertificate(CallScope.version(OPEN_PROGRAM, 1)).then(claimsOnly).build();
    Peer plaintext = new Peer(null, Transport.TCP, false, List.of());
    CallHeader open = CallHeader.of(1, OPEN_PROGRAM, 1, 1, OpaqueAuth.NONE);
    assertSame(Credentials.NONE, auth.authenticate(open));
    assertSame(Credentials.NONE, auth.authenticate(open, plaintext));
    assertSame(Credentials.NONE, claimsOnly.authenticate(open, plaintext)); // the default method
    for (CallHeader closed : List.of(CallHeader.of(2, PROGRAM, 1, 1, OpaqueAuth.NONE),
        CallHeader.of(3, OPEN_PROGRAM, 2, 1, OpaqueAuth.NONE))) {
      assertEquals(AuthStatus.AUTH_TOOWEAK,
          assertThrows(RpcException.class, () -> auth.authenticate(closed)).authStatus());
      assertEquals(AuthStatus.AUTH_TOOWEAK,
          assertThrows(RpcException.class, () -> auth.authenticate(closed, plaintext)).authStatus());
    }
  }

  @Test
  void scopes() {
    assertTrue(CallScope.program(7).covers(7, 3, 9));
    assertTrue(CallScope.version(7, 1).covers(7, 1, 9));
    assertFalse(CallScope.version(7, 1).covers(7, 2, 9));
    assertTrue(CallScope.procedure(7, 1, 2).coversNullPing(7, 1));
    assertFalse(CallScope.procedure(7, 1, 2).covers(7, 1, 0));
    assertFalse(CallScope.procedure(7, 1, 2).covers(7, 1, 3));
    assertFalse(CallScope.program(7).covers(8, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new CallScope(7, CallScope.ANY, 2));
    assertThrows(IllegalArgumentException.class,
        () -> CertificateAuthenticator.builder().allowSubject("not a name", CallScope.program(7)));
    assertEquals("program 0x7 version 1 procedure 2", CallScope.procedure(7, 1, 2).toString());
  }

  private static RpcException assertAuthError(AuthStatus reason,
      org.junit.jupiter.api.function.Executable call) {
    RpcException e = assertThrows(RpcException.class, call);
    assertEquals(RpcStatus.AUTH_ERROR, e.status(), e.getMessage());
    assertEquals(reason, e.authStatus(), e.getMessage());
    return e;
  }
}
