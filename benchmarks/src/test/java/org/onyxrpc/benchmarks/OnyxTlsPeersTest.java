package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The peers of {@link TlsSyncCall} and {@link TlsEcho} call and echo 1 MiB in every mode, and
 * OpenSSL is what Netty picks when nobody chooses.
 */
@Timeout(60)
class OnyxTlsPeersTest {
  @Test
  void openSslIsThereToBeMeasured() {
    assertTrue(OpenSsl.isAvailable(), () -> "netty-tcnative: " + OpenSsl.unavailabilityCause());
  }

  /**
   * A context built without {@code sslProvider(...)} is OpenSSL's once netty-tcnative is on the
   * class path (Netty's default), and the runtime's TLS, mutual TLS included, works through it:
   * so the runtime leaves the choice to the context.
   */
  @Test
  void aContextWithoutAChosenProviderIsOpenSslAndMutualTlsWorksThroughIt() throws Exception {
    LoopbackIdentity server = LoopbackIdentity.create("localhost");
    LoopbackIdentity client = LoopbackIdentity.create("openssl-client");
    SslContext serverContext = SslContextBuilder.forServer(server.key(), server.certificate())
        .trustManager(client.certificate()).clientAuth(ClientAuth.REQUIRE).build();
    SslContext clientContext = SslContextBuilder.forClient().trustManager(server.certificate())
        .keyManager(client.key(), client.certificate()).build();
    assertInstanceOf(ReferenceCountedOpenSslContext.class, serverContext);
    assertInstanceOf(ReferenceCountedOpenSslContext.class, clientContext);
    Procedure<Void, String> whoAmI = new Procedure<>(AddProgram.PROGRAM, AddProgram.VERSION, 9,
        "Bench.whoAmI", XdrCodecs.VOID, XdrCodecs.STRING);
    ServiceDefinition service = ServiceDefinition.builder(AddProgram.PROGRAM, AddProgram.VERSION)
        .procedure(whoAmI, (v, ctx) -> ctx.peerPrincipal().map(p -> p.getName()).orElse("none"))
        .build();
    try (RpcServer onyx = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .transports(Transport.TCP).addService(service)
            .tls(serverContext, TlsMode.REQUIRE).build().start();
        RpcClient caller = RpcClient.builder().address("localhost", onyx.port())
            .tls(ClientTls.of(clientContext, AddProgram.PROGRAM, AddProgram.VERSION)).build()) {
      assertEquals("CN=openssl-client", caller.call(whoAmI, null));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain", "jdk", "openssl"})
  void callsAndEchoes(String tls) throws Exception {
    byte[] data = new byte[AddProgram.MAX_ECHO];
    new Random(3).nextBytes(data);
    try (OnyxTlsPeers peers = new OnyxTlsPeers(tls)) {
      assertEquals(5, peers.client.call(AddProgram.ADD, AddProgram.ARGS));
      assertArrayEquals(data, peers.client.call(AddProgram.ECHO, data));
    }
  }
}
