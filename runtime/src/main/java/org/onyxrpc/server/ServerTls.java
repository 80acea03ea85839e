package org.onyxrpc.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import org.onyxrpc.internal.transport.ReadCumulator;

/**
 * RPC-over-TLS (RFC 9289) for a server's TCP connections: a client's NULL call with AUTH_TLS is
 * answered with the {@code STARTTLS} verifier, and the connection continues in TLS.
 *
 * @param sslContext a server context (Netty's {@code SslContextBuilder.forServer}); ask for
 *     client certificates there ({@code clientAuth(REQUIRE)}) for mutual TLS, whose certificate
 *     then reaches procedures as {@link CallContext#peerCertificates()}
 * @param mode whether plaintext calls are still served
 * @param allowTls12 false (the default of RFC 9289): TLS 1.3 only
 * @param maxHandshakesPerAddress TLS handshakes in progress at once from one client address (an
 *     IPv6 address counted by its /64); more wait, without being read, until one of that
 *     address's ends, so that one host opening connections as fast as it can does not take the
 *     CPU other hosts' handshakes need. Default {@value #DEFAULT_MAX_HANDSHAKES_PER_ADDRESS}
 */
public record ServerTls(SslContext sslContext, TlsMode mode, boolean allowTls12,
    int maxHandshakesPerAddress) {
  /** Handshakes in progress at once from one address unless told otherwise. */
  public static final int DEFAULT_MAX_HANDSHAKES_PER_ADDRESS = 4;
  private static final String[] TLS13 = {"TLSv1.3"};
  private static final String[] TLS13_AND_12 = {"TLSv1.3", "TLSv1.2"};

  /**
   * Checks that the context is a server's.
   *
   * @param sslContext a server context; not null
   * @param mode whether plaintext calls are still served; not null
   * @param allowTls12 whether TLS 1.2 is allowed
   * @param maxHandshakesPerAddress at least 1
   * @throws IllegalArgumentException if the context is a client's, or the bound is under 1
   */
  public ServerTls {
    Objects.requireNonNull(sslContext, "sslContext");
    Objects.requireNonNull(mode, "mode");
    if (!sslContext.isServer()) {
      throw new IllegalArgumentException("a server needs a server SslContext (SslContextBuilder.forServer)");
    }
    if (maxHandshakesPerAddress < 1) {
      throw new IllegalArgumentException("maxHandshakesPerAddress must be at least 1: " + maxHandshakesPerAddress);
    }
  }

  /**
   * With the default bound of handshakes per address.
   *
   * @param sslContext a server context; not null
   * @param mode whether plaintext calls are still served; not null
   * @param allowTls12 whether TLS 1.2 is allowed
   */
  public ServerTls(SslContext sslContext, TlsMode mode, boolean allowTls12) {
    this(sslContext, mode, allowTls12, DEFAULT_MAX_HANDSHAKES_PER_ADDRESS);
  }

  /**
   * TLS 1.3 only.
   *
   * @param sslContext a server context; not null
   * @param mode whether plaintext calls are still served; not null
   * @return the configuration
   */
  public static ServerTls of(SslContext sslContext, TlsMode mode) {
    return new ServerTls(sslContext, mode, false);
  }

  /**
   * This configuration with another bound of handshakes in progress per client address.
   *
   * @param max at least 1
   * @return a new configuration
   * @throws IllegalArgumentException if {@code max} is under 1
   */
  public ServerTls withMaxHandshakesPerAddress(int max) {
    return new ServerTls(sslContext, mode, allowTls12, max);
  }

  /** A handler for one connection, limited to the allowed protocol versions. */
  SslHandler newHandler(ByteBufAllocator alloc) {
    SSLEngine engine = sslContext.newEngine(alloc);
    engine.setEnabledProtocols(allowTls12 ? TLS13_AND_12 : TLS13);
    SslHandler handler = new SslHandler(engine);
    ReadCumulator.forTls(handler); // a TLS record trickled a byte per read
    return handler;
  }

  /**
   * The settings, with the context named by its kind: never its key, certificates or password.
   *
   * @return {@code ServerTls[sslContext=JdkSslServerContext (server), mode=REQUIRE, ...]}
   */
  @Override
  public String toString() {
    return new org.onyxrpc.internal.SettingsText("ServerTls")
        .add("sslContext", org.onyxrpc.internal.SettingsText.sslContext(sslContext))
        .add("mode", mode).add("allowTls12", allowTls12)
        .add("maxHandshakesPerAddress", maxHandshakesPerAddress).toString();
  }
}
