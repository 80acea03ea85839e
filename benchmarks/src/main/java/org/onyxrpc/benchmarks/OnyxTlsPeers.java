package org.onyxrpc.benchmarks;

import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.transport.Transport;

/**
 * An Onyx server running {@link AddProgram} inline on its I/O thread and a client connected to
 * it over loopback TCP, in plaintext ({@code "plain"}) or in RPC-over-TLS (RFC 9289: TLS 1.3, the
 * server's certificate checked, host name included) through the JDK's provider ({@code "jdk"}) or
 * OpenSSL ({@code "openssl"}: BoringSSL from netty-tcnative). The client does its I/O on its event
 * loop in every mode, since a TLS client needs it: the modes differ by TLS alone.
 */
final class OnyxTlsPeers implements AutoCloseable {
  final RpcServer server;
  final RpcClient client;

  OnyxTlsPeers(String tls) throws IOException, GeneralSecurityException {
    RpcServerBuilder serverBuilder = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP)
        .directExecutor()
        .addService(AddProgram.service());
    RpcClientBuilder clientBuilder = RpcClient.builder().ioStrategy(IoStrategy.EVENT_LOOP);
    if (!tls.equals("plain")) {
      SslProvider provider = LoopbackIdentity.provider(tls);
      LoopbackIdentity identity = LoopbackIdentity.create("localhost");
      serverBuilder.tls(identity.serverContext(provider, null), TlsMode.REQUIRE);
      clientBuilder.tls(ClientTls.of(LoopbackIdentity.clientContext(provider, identity, null),
          AddProgram.PROGRAM, AddProgram.VERSION));
    }
    server = serverBuilder.build().start();
    try {
      client = clientBuilder.address("127.0.0.1", server.port()).build();
      int sum = client.call(AddProgram.ADD, AddProgram.ARGS); // connects, and shakes hands
      if (sum != 5) {
        throw new IllegalStateException("2 + 3 = " + sum);
      }
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
