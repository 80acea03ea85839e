package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.ssl.ClientAuth;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A call's own credentials travel inside TLS as over plaintext (PerCallCredentialsTest): the
 * STARTTLS probe keeps its AUTH_TLS, the calls that follow have their own or the client's. (TLS
 * has the event loop's I/O only: {@code CALLER_RUNS} is refused at build().)
 */
class PerCallCredentialsOverTlsTest {
  @RegisterExtension
  static final LocalhostCertificates certs = new LocalhostCertificates();

  private static final int PROGRAM = 0x20000a46;
  private static final Procedure<Void, String> WHO =
      new Procedure<>(PROGRAM, 1, 1, "TlsCreds.who", XdrCodecs.VOID, XdrCodecs.STRING);
  private static final AuthSys CLIENTS = new AuthSys(0, "shared", 1000, 1000, new int[0]);
  private static final AuthSys OWN = new AuthSys(0, "request", 4242, 4242, new int[0]);

  @Test
  void aCallsOwnCredentialsGoInsideTls() throws Exception {
    try (RpcServer server = RpcServer.builder().port(0)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(WHO, (v, ctx) -> (ctx.tls() ? "tls " : "plain ") + ctx.credentials())
            .build())
        .tls(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE),
            TlsMode.REQUIRE)
        .build().start()) {
      try (RpcClient client = RpcClient.builder().address("localhost", server.port())
          .credentials(CLIENTS).timeout(Duration.ofSeconds(20))
          .tls(ClientTls.of(TestCertificates.clientContext(certs.ca(), null), PROGRAM, 1))
          .build()) {
        assertEquals("tls " + OWN, client.call(WHO, null, CallOptions.DEFAULT.withCredentials(OWN)));
        assertEquals("tls " + CLIENTS, client.call(WHO, null));
      }
    }
  }
}
