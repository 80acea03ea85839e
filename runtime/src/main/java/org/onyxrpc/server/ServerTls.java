package org.onyxrpc.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.Objects;
import javax.net.ssl.SSLEngine;

/**
 * RPC-over-TLS (RFC 9289) for a server's TCP connections: a client's NULL call with AUTH_TLS is
 * answered with the {@code STARTTLS} verifier, and the connection continues in TLS.
 *
 * @param sslContext a server context (Netty's {@code SslContextBuilder.forServer}); ask for
 *     client certificates there ({@code clientAuth(REQUIRE)}) for mutual TLS, whose certificate
 *     then reaches procedures as {@link CallContext#peerCertificates()}
 * @param mode whether plaintext calls are still served
 * @param allowTls12 false (the default of RFC 9289): TLS 1.3 only
 */
public record ServerTls(SslContext sslContext, TlsMode mode, boolean allowTls12) {
  private static final String[] TLS13 = {"TLSv1.3"};
  private static final String[] TLS13_AND_12 = {"TLSv1.3", "TLSv1.2"};

  /** Checks that the context is a server's. */
  public ServerTls {
    Objects.requireNonNull(sslContext, "sslContext");
    Objects.requireNonNull(mode, "mode");
    if (!sslContext.isServer()) {
      throw new IllegalArgumentException("a server needs a server SslContext (SslContextBuilder.forServer)");
    }
  }

  /** TLS 1.3 only. */
  public static ServerTls of(SslContext sslContext, TlsMode mode) {
    return new ServerTls(sslContext, mode, false);
  }

  /** A handler for one connection, limited to the allowed protocol versions. */
  SslHandler newHandler(ByteBufAllocator alloc) {
    SSLEngine engine = sslContext.newEngine(alloc);
    engine.setEnabledProtocols(allowTls12 ? TLS13_AND_12 : TLS13);
    return new SslHandler(engine);
  }
}
