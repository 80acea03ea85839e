package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.CallScope;
import org.onyxrpc.server.CertificateAuthenticator;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A program that declares procedure 0 with a result (rpcgen allows it) under mutual TLS: a
 * certificate admitted to one other procedure of the version may not run it, while the NULL ping
 * the server answers itself (version 2 here) stays open to every scope of its version.
 */
class DeclaredNullProcedureScopeTest {
  static final int PROGRAM = 0x20000F05;
  static final Procedure<Void, String> BIND = new Procedure<>(PROGRAM, 1, 0, "Bound.bind",
      XdrCodecs.VOID, XdrCodecs.STRING, CallSemantics.AT_MOST_ONCE);
  static final Procedure<Integer, Integer> TWICE = new Procedure<>(PROGRAM, 1, 1, "Bound.twice",
      XdrCodecs.INT, XdrCodecs.INT, CallSemantics.AT_MOST_ONCE);
  static final Procedure<Integer, Integer> TWICE_V2 = new Procedure<>(PROGRAM, 2, 1,
      "Bound.twice", XdrCodecs.INT, XdrCodecs.INT, CallSemantics.AT_MOST_ONCE);

  @TempDir static Path dir;
  static TestCertificates.Authority ca;
  static TestCertificates.KeyPair server;
  static TestCertificates.KeyPair reporter;
  static TestCertificates.KeyPair alice;

  final AtomicInteger binds = new AtomicInteger();

  @BeforeAll
  static void certificates() throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    ca = certs.authority("test-ca");
    server = certs.server(ca, "localhost", "DNS:localhost,IP:127.0.0.1");
    reporter = certs.client(ca, "reporter");
    alice = certs.client(ca, "alice");
  }

  /** The reporter may call procedure 1 of either version; alice all of version 1. */
  private RpcServer start() throws Exception {
    return RpcServer.builder().port(0).transports(Transport.TCP)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(BIND, (v, ctx) -> "bound " + binds.incrementAndGet())
            .procedure(TWICE, (n, ctx) -> 2 * n).build())
        .addService(ServiceDefinition.builder(PROGRAM, 2)
            .procedure(TWICE_V2, (n, ctx) -> 2 * n).build())
        .tls(TestCertificates.serverContext(server, ca, ClientAuth.REQUIRE), TlsMode.REQUIRE)
        .authenticator(CertificateAuthenticator.builder()
            .allowSubject("CN=reporter", CallScope.procedure(PROGRAM, 1, TWICE.number()))
            .allowSubject("CN=reporter", CallScope.procedure(PROGRAM, 2, TWICE_V2.number()))
            .allowSubject("CN=alice", CallScope.version(PROGRAM, 1))
            .build())
        .build().start();
  }

  private static RpcClient client(RpcServer s, TestCertificates.KeyPair own) throws Exception {
    return RpcClient.builder().address("localhost", s.port())
        .timeout(Duration.ofSeconds(20)).connectTimeout(Duration.ofSeconds(10))
        .tls(ClientTls.of(TestCertificates.clientContext(ca, own), PROGRAM, 1)).build();
  }

  @Test
  void aScopeOfAnotherProcedureDoesNotRunTheDeclaredProcedureZero() throws Exception {
    try (RpcServer s = start(); RpcClient tls = client(s, reporter)) {
      // Its own ping before this at-most-once call is refused, as procedure 0 is: the call is
      // sent untagged, and runs.
      assertEquals(42, tls.call(TWICE, 21));
      RpcException e = assertThrows(RpcException.class, () -> tls.call(BIND, null));
      assertEquals(RpcStatus.AUTH_ERROR, e.status(), e.getMessage());
      assertEquals(AuthStatus.AUTH_REJECTEDCRED, e.authStatus(), e.getMessage());
      assertThrows(RpcException.class, () -> tls.ping(PROGRAM, 1));
      assertEquals(0, binds.get(), "procedure 0 never ran for a certificate not allowed it");
    }
  }

  @Test
  void theServersOwnNullPingStaysOpenToEveryScopeOfItsVersion() throws Exception {
    try (RpcServer s = start(); RpcClient tls = client(s, reporter)) {
      tls.ping(PROGRAM, 2);
      assertEquals(8, tls.call(TWICE_V2, 4));
      assertEquals(0, binds.get());
    }
  }

  @Test
  void aScopeOfTheWholeVersionRunsIt() throws Exception {
    try (RpcServer s = start(); RpcClient tls = client(s, alice)) {
      assertEquals("bound 1", tls.call(BIND.withSemantics(CallSemantics.MAYBE), null));
      tls.ping(PROGRAM, 1);
      assertEquals(2, binds.get());
    }
  }

  @Test
  void scopesTellTheBarePingFromProcedureZero() {
    CallScope one = CallScope.procedure(7, 1, 2);
    assertFalse(one.covers(7, 1, 0), "procedure 0 the program serves");
    assertTrue(one.coversNullPing(7, 1));
    assertFalse(one.coversNullPing(7, 2));
    assertTrue(CallScope.version(7, 1).covers(7, 1, 0));
    assertTrue(CallScope.procedure(7, 1, 0).covers(7, 1, 0));
    assertFalse(CallScope.program(7).coversNullPing(8, 1));
  }
}
