package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslProvider;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import javax.net.ssl.SSLParameters;
import org.dcache.oncrpc4j.rpc.OncRpcClient;
import org.dcache.oncrpc4j.rpc.OncRpcProgram;
import org.dcache.oncrpc4j.rpc.OncRpcRejectedException;
import org.dcache.oncrpc4j.rpc.OncRpcSvc;
import org.dcache.oncrpc4j.rpc.OncRpcSvcBuilder;
import org.dcache.oncrpc4j.rpc.RpcAuthTypeNone;
import org.dcache.oncrpc4j.rpc.RpcCall;
import org.dcache.oncrpc4j.rpc.RpcTransport;
import org.dcache.oncrpc4j.rpc.net.IpProtocolType;
import org.dcache.oncrpc4j.xdr.XdrOpaque;
import org.dcache.oncrpc4j.xdr.XdrString;
import org.dcache.oncrpc4j.xdr.XdrVoid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * RPC-over-TLS (RFC 9289) between Onyx and dCache's oncrpc4j, both ways, with mutual TLS: each
 * side's server tells the caller whether the call came inside TLS, so a call that went in
 * plaintext cannot pass. oncrpc4j's server starts TLS when it decodes an AUTH_TLS credential
 * ({@code OncRpcSvcBuilder.withStartTLS()}), and its client sends the probe and starts TLS in
 * {@code RpcCall.startTLS()}.
 */
@Timeout(60)
class Oncrpc4jTlsInteropTest {
  static final int PROGRAM = 0x20000F03;
  static final int VERSION = 1;
  /** "tls" or "plain", then the client certificate's subject if the server can tell it. */
  static final Procedure<Void, String> WHO_AM_I =
      new Procedure<>(PROGRAM, VERSION, 1, "Interop.whoAmI", XdrCodecs.VOID, XdrCodecs.STRING);
  static final Procedure<byte[], byte[]> ECHO = new Procedure<>(PROGRAM, VERSION, 2, "Interop.echo",
      XdrCodecs.opaque(AddProgram.MAX_ECHO), XdrCodecs.opaque(AddProgram.MAX_ECHO));

  static LoopbackIdentity server;
  static LoopbackIdentity client;
  static final byte[] DATA = new byte[AddProgram.MAX_ECHO];

  @BeforeAll
  static void identities() throws Exception {
    server = LoopbackIdentity.create("localhost");
    client = LoopbackIdentity.create("interop-client");
    new Random(7).nextBytes(DATA);
  }

  @Test
  void anOnyxClientCallsAnOncrpc4jTlsServer() throws Exception {
    OncRpcSvc svc = oncrpc4jServer();
    try {
      int port = svc.getInetSocketAddress(IpProtocolType.TCP).getPort();
      try (RpcClient onyx = onyxClient(port, client, Duration.ofSeconds(20))) {
        assertEquals("tls", onyx.call(WHO_AM_I, null));
        assertArrayEquals(DATA, onyx.call(ECHO, DATA));
        byte[] odd = Arrays.copyOf(DATA, 1001); // padded both ways
        assertArrayEquals(odd, onyx.call(ECHO, odd));
      }
      // The server needs a client certificate. In TLS 1.3 the client's handshake ends before the
      // server checks it, and oncrpc4j then neither answers nor closes: the call is never sent.
      try (RpcClient anonymous = onyxClient(port, null, Duration.ofSeconds(2))) {
        RpcException e = assertThrows(RpcException.class, () -> anonymous.call(WHO_AM_I, null));
        assertTrue(e.status() == RpcStatus.TIMEOUT || e.status() == RpcStatus.UNAVAILABLE,
            e.getMessage());
      }
    } finally {
      svc.stop();
    }
  }

  /** oncrpc4j serving the program with STARTTLS, asking for a client certificate. */
  private static OncRpcSvc oncrpc4jServer() throws Exception {
    SSLParameters needClientAuth = new SSLParameters();
    needClientAuth.setNeedClientAuth(true);
    OncRpcSvc svc = new OncRpcSvcBuilder()
        .withTCP()
        .withBindAddress(InetAddress.getLoopbackAddress().getHostAddress())
        .withPort(0)
        .withoutAutoPublish()
        .withSameThreadIoStrategy()
        .withSelectorThreadPoolSize(1)
        .withServiceName("oncrpc4j-tls-server")
        .withStartTLS()
        .withSSLContext(server.jdkContext(client))
        .withSSLParameters(needClientAuth)
        .withRpcService(new OncRpcProgram(PROGRAM, VERSION), call -> {
          switch (call.getProcedure()) {
            case 0 -> call.reply(XdrVoid.XDR_VOID); // the probe, answered with STARTTLS by oncrpc4j
            case 1 -> call.reply(new XdrString(call.getTransport().isTLS() ? "tls" : "plain"));
            case 2 -> {
              XdrOpaque data = new XdrOpaque();
              call.retrieveCall(data);
              call.reply(data);
            }
            default -> call.failProcedureUnavailable();
          }
        })
        .build();
    svc.start();
    return svc;
  }

  private static RpcClient onyxClient(int port, LoopbackIdentity own, Duration timeout)
      throws Exception {
    return RpcClient.builder().address("localhost", port)
        .timeout(timeout).connectTimeout(Duration.ofSeconds(10))
        .tls(ClientTls.of(LoopbackIdentity.clientContext(SslProvider.JDK, server, own),
            PROGRAM, VERSION))
        .build();
  }

  @Test
  void anOncrpc4jTlsClientCallsAnOnyxServerThatRequiresTls() throws Exception {
    ServiceDefinition service = ServiceDefinition.builder(PROGRAM, VERSION)
        .procedure(WHO_AM_I, (v, ctx) -> (ctx.tls() ? "tls " : "plain ")
            + ctx.peerPrincipal().map(p -> p.getName()).orElse("none"))
        .procedure(ECHO, (data, ctx) -> data)
        .build();
    try (RpcServer onyx = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP).addService(service)
        .tls(server.serverContext(SslProvider.JDK, client), TlsMode.REQUIRE)
        .build().start()) {
      OncRpcClient oncrpc4j = OncRpcClient.newBuilder()
          .withTCP()
          .withServiceName("oncrpc4j-tls-client")
          .withStartTLS()
          .withSSLContext(client.jdkContext(server))
          .build(InetAddress.getLoopbackAddress(), onyx.port());
      try (oncrpc4j) {
        RpcTransport transport = oncrpc4j.connect();
        RpcCall call = new RpcCall(PROGRAM, VERSION, new RpcAuthTypeNone(), transport);
        assertFalse(transport.isTLS());
        // In plaintext the server answers AUTH_ERROR (AUTH_TOOWEAK): a rejected call to oncrpc4j.
        OncRpcRejectedException refused = assertThrows(OncRpcRejectedException.class,
            () -> call.call(WHO_AM_I.number(), XdrVoid.XDR_VOID, new XdrString()));
        assertEquals("AUTH_ERROR", refused.getMessage());
        call.startTLS(); // the NULL call with AUTH_TLS, then the handshake
        assertTrue(transport.isTLS());
        XdrString who = new XdrString();
        call.call(WHO_AM_I.number(), XdrVoid.XDR_VOID, who);
        assertEquals("tls CN=interop-client", who.stringValue());
        XdrOpaque echoed = new XdrOpaque();
        call.call(ECHO.number(), new XdrOpaque(DATA), echoed);
        assertArrayEquals(DATA, echoed.getOpaque());
      }
    }
  }
}
