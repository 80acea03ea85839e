package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import io.netty.handler.ssl.ClientAuth;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.tls.TestCertificates;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A server that requires TLS refuses a plaintext call with AUTH_TOOWEAK, whose words list what it
 * may want (AUTH_SYS, TLS, a client certificate) but not the options onyx sends them with. Before,
 * a newcomer calling such a server with onyx read only the server's words, and had to find --tls
 * in the help. The refusal does not say which the server wants, so onyx asks whether it takes TLS
 * (RFC 9289's probe) and names TLS only where it does.
 */
class StrongerSecurityHintTest {
  private static final String TLS_HINT = "; the server answers RPC-over-TLS's probe (STARTTLS), so it likely"
      + " refuses calls without TLS: onyx calls over TLS with --tls (and --tls-ca FILE for an"
      + " authority the JDK does not trust, --tls-cert FILE --tls-key FILE for a client certificate)";
  private static final String AUTH_SYS_HINT = "; should it refuse the call over TLS too, it wants other"
      + " credentials: --auth-sys [UID:GID] sends AUTH_SYS";
  private static final String NO_TLS_HINT = "; the server does not answer RPC-over-TLS's probe, so TLS is"
      + " not what it wants: ";

  @TempDir static Path dir;
  static TestCertificates.Authority ca;
  static TestCertificates.KeyPair server;

  @BeforeAll
  static void certificates() throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    ca = certs.authority("ca");
    server = certs.server(ca, "localhost", "DNS:localhost,IP:127.0.0.1");
  }

  @Test
  void aPlaintextCallToAServerThatRequiresTlsNamesTheOptions() throws Exception {
    try (RpcServer s = requiringTls()) {
      CommandRun r = onyx("call", "127.0.0.1:" + s.port(), "Calculator.add",
          "--idl", "src/test/idl/calculator.idl", "-d", "{\"a\": 1, \"b\": 2}");
      assertEquals(4, r.exit(), r.toString());
      assertTrue(r.out().contains("AUTH_TOOWEAK (the server wants stronger security: AUTH_SYS rather than"
          + " AUTH_NONE, TLS, or a client certificate it accepts)" + TLS_HINT + AUTH_SYS_HINT + "\""), r.toString());

      CommandRun withAuthSys = onyx("call", "127.0.0.1:" + s.port(), "Calculator.add", "--auth-sys", "1:1",
          "--idl", "src/test/idl/calculator.idl", "-d", "{\"a\": 1, \"b\": 2}");
      assertEquals(4, withAuthSys.exit(), withAuthSys.toString());
      assertTrue(withAuthSys.out().contains(TLS_HINT + "\""), withAuthSys.toString());
      assertFalse(withAuthSys.out().contains("--auth-sys"), withAuthSys.toString());

      CommandRun ping = onyx("ping", "127.0.0.1:" + s.port(), "0x20000101");
      assertEquals(4, ping.exit(), ping.toString());
      assertTrue(ping.out().contains(TLS_HINT + AUTH_SYS_HINT + "\""), ping.toString());
    }
  }

  /**
   * A server without TLS that refuses AUTH_NONE: TLS would not help, and is not offered. Before,
   * the hint was the same as for a server that requires TLS ("; onyx calls over TLS with --tls
   * ..., with AUTH_SYS credentials with --auth-sys [UID:GID]"), TLS first.
   */
  @Test
  void aServerWithoutTlsThatRefusesTheCredentialsIsNotSentToTls() throws Exception {
    try (RpcServer s = refusingAuthNone()) {
      CommandRun r = onyx("call", "127.0.0.1:" + s.port(), "Calculator.add",
          "--idl", "src/test/idl/calculator.idl", "-d", "{\"a\": 1, \"b\": 2}");
      assertEquals(4, r.exit(), r.toString());
      assertTrue(r.out().contains(NO_TLS_HINT + "other credentials may be (--auth-sys [UID:GID] sends AUTH_SYS)\""),
          r.toString());
      assertFalse(r.out().contains("--tls"), r.toString());

      CommandRun withAuthSys = onyx("call", "127.0.0.1:" + s.port(), "Calculator.add", "--auth-sys", "1:1",
          "--idl", "src/test/idl/calculator.idl", "-d", "{\"a\": 1, \"b\": 2}");
      assertEquals(4, withAuthSys.exit(), withAuthSys.toString());
      assertTrue(withAuthSys.out().contains(NO_TLS_HINT + "it refuses these AUTH_SYS credentials (other ids,"
          + " or a flavor onyx does not send)\""), withAuthSys.toString());

      CommandRun udp = onyx("call", "127.0.0.1:" + s.port(), "Calculator.add", "--transport", "udp",
          "--idl", "src/test/idl/calculator.idl", "-d", "{\"a\": 1, \"b\": 2}");
      assertEquals(4, udp.exit(), udp.toString());
      assertTrue(udp.out().contains("; AUTH_TOOWEAK does not say what the server wants: onyx calls over TLS"
          + " with --tls (and --tls-ca FILE for an authority the JDK does not trust, --tls-cert FILE --tls-key"
          + " FILE for a client certificate) over --transport tcp, and sends AUTH_SYS credentials with"
          + " --auth-sys [UID:GID]\""), udp.toString());
    }
  }

  /** Over TLS the options are given already: a refusal then is the server's words alone. */
  @Test
  void noHintWhenTheCallWasOverTls() throws Exception {
    try (RpcServer s = requiringTls()) {
      CommandRun r = onyx("call", "127.0.0.1:" + s.port(), "Calculator.add", "--tls-ca",
          ca.certificate().getPath(), "--tls-server-name", "localhost",
          "--idl", "src/test/idl/calculator.idl", "-d", "{\"a\": 1, \"b\": 2}");
      assertEquals(0, r.exit(), r.toString());
      assertFalse(r.out().contains("onyx calls over TLS"), r.toString());
    }
  }

  /** Serves add in plaintext, TCP and UDP, refusing AUTH_NONE with AUTH_TOOWEAK, as svcerr_weakauth. */
  private static RpcServer refusingAuthNone() throws Exception {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .addService(ServiceDefinition.builder(0x20000101, 1).procedure(add(), (a, ctx) -> {
          if (ctx.credentials() == Credentials.NONE) {
            throw RpcException.authError(AuthStatus.AUTH_TOOWEAK, "AUTH_SYS needed");
          }
          throw RpcException.authError(AuthStatus.AUTH_TOOWEAK, "not these ids");
        }).build())
        .build().start();
  }

  private static RpcServer requiringTls() throws Exception {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .addService(ServiceDefinition.builder(0x20000101, 1).procedure(add(), (a, ctx) -> a).build())
        .tls(TestCertificates.serverContext(server, ca, ClientAuth.NONE), TlsMode.REQUIRE)
        .build().start();
  }

  private static Procedure<Long, Long> add() {
    XdrCodec<Long> sum = new XdrCodec<>() { // add's two hypers, a and b, read as their sum
      @Override public void encode(XdrWriter out, Long value) {
        out.writeHyper(value);
        out.writeHyper(0);
      }

      @Override public Long decode(XdrReader in) {
        return in.readHyper() + in.readHyper();
      }
    };
    return new Procedure<>(0x20000101, 1, 1, "Calculator.add", sum, XdrCodecs.HYPER);
  }
}
