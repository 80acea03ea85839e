package org.onyxrpc.client;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.onyxrpc.internal.transport.ReadCumulator;

/**
 * RPC-over-TLS (RFC 9289) for a client: on each new connection it sends a NULL call with AUTH_TLS
 * to {@code program}/{@code version}, requires the {@code STARTTLS} verifier in reply, and makes
 * the TLS handshake before any call goes out. A server that does not answer, answers otherwise,
 * or fails the handshake gets no call at all: the calls fail UNAVAILABLE, nothing was sent.
 *
 * @param sslContext a client context (Netty's {@code SslContextBuilder.forClient}, with a trust
 *     store, and a key and certificate for mutual TLS)
 * @param program the program the probe is addressed to (RFC 9289 asks for a NULL call of one the
 *     server serves)
 * @param version its version
 * @param verifyHostname true (the default): the server's certificate must name the host the
 *     client was given, as HTTPS checks it; false leaves it to the context (Netty's client
 *     contexts check too, unless built with {@code endpointIdentificationAlgorithm(null)})
 * @param allowTls12 false (the default of RFC 9289): TLS 1.3 only
 * @param serverName the name the server's certificate must carry, also sent as SNI; null (the
 *     default): the host the client was given. For a server reached by an address or an alias
 *     that its certificate does not name.
 */
public record ClientTls(SslContext sslContext, int program, int version, boolean verifyHostname,
    boolean allowTls12, String serverName) {
  private static final String[] TLS13 = {"TLSv1.3"};
  private static final String[] TLS13_AND_12 = {"TLSv1.3", "TLSv1.2"};

  /**
   * Checks that the context is a client's.
   *
   * @param sslContext a client context; not null
   * @param program the program the probe is addressed to
   * @param version its version
   * @param verifyHostname whether the certificate must name the host
   * @param allowTls12 whether TLS 1.2 is allowed
   * @param serverName the name the certificate must carry, or null for the host; not empty
   * @throws IllegalArgumentException if the context is a server's, or {@code serverName} is empty
   */
  public ClientTls {
    Objects.requireNonNull(sslContext, "sslContext");
    if (!sslContext.isClient()) {
      throw new IllegalArgumentException("a client needs a client SslContext (SslContextBuilder.forClient)");
    }
    if (serverName != null && serverName.isEmpty()) {
      throw new IllegalArgumentException("an empty server name");
    }
  }

  /**
   * The server's certificate must name the host the client was given.
   *
   * @param sslContext a client context; not null
   * @param program the program the probe is addressed to
   * @param version its version
   * @param verifyHostname whether the certificate must name the host
   * @param allowTls12 whether TLS 1.2 is allowed
   */
  public ClientTls(SslContext sslContext, int program, int version, boolean verifyHostname,
      boolean allowTls12) {
    this(sslContext, program, version, verifyHostname, allowTls12, null);
  }

  /**
   * TLS 1.3 with hostname verification, probing {@code program}/{@code version}.
   *
   * @param sslContext a client context; not null
   * @param program the program the probe is addressed to
   * @param version its version
   * @return the configuration
   */
  public static ClientTls of(SslContext sslContext, int program, int version) {
    return new ClientTls(sslContext, program, version, true, false);
  }

  /**
   * This configuration with the server's certificate checked for {@code name} instead of the host.
   *
   * @param name the name, also sent as SNI; not null or empty
   * @return a new configuration
   */
  public ClientTls withServerName(String name) {
    return new ClientTls(sslContext, program, version, verifyHostname, allowTls12,
        Objects.requireNonNull(name, "name"));
  }

  /** A handler for one connection to {@code host}. */
  SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
    SSLEngine engine = sslContext.newEngine(alloc, serverName != null ? serverName : host, port);
    engine.setEnabledProtocols(allowTls12 ? TLS13_AND_12 : TLS13);
    if (verifyHostname) {
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(parameters);
    }
    SslHandler handler = new SslHandler(engine);
    ReadCumulator.forTls(handler); // a TLS record trickled a byte per read
    return handler;
  }

  /**
   * The settings, with the context named by its kind: never its key, certificates or password.
   *
   * @return {@code ClientTls[sslContext=JdkSslClientContext (client), program=0x..., ...]}
   */
  @Override
  public String toString() {
    return new org.onyxrpc.internal.SettingsText("ClientTls")
        .add("sslContext", org.onyxrpc.internal.SettingsText.sslContext(sslContext))
        .add("program", "0x" + Integer.toHexString(program)).add("version", version)
        .add("verifyHostname", verifyHostname).add("allowTls12", allowTls12)
        .addIfSet("serverName", serverName).toString();
  }
}
