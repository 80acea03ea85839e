package org.onyxrpc.server;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.onyxrpc.internal.transport.RecordDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection's upgrade to TLS when its client asks with the AUTH_TLS probe (RFC 9289),
 * and what the handshake proved of the client. Touched on the connection's event loop, but for
 * the certificates, which procedures read.
 */
final class ConnectionTls {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionTls.class);
  /** Netty's own handshake timeout, the most a handshake is given. */
  private static final long MAX_HANDSHAKE_MILLIS = 10_000;

  private final ServerTls tls;
  private final RecordDecoder decoder;
  private final long handshakeMillis;
  private SslHandler sslHandler; // set once the probe was answered
  private volatile List<X509Certificate> peerCertificates = List.of();

  /**
   * A handshake is a few records, so it gets no longer than a record may take ({@code
   * recordTimeout}), and at most Netty's 10 s: a peer that asks for TLS and then says nothing,
   * or stops halfway, is disconnected then.
   */
  ConnectionTls(ServerTls tls, RecordDecoder decoder, Duration recordTimeout) {
    this.tls = tls;
    this.decoder = decoder;
    this.handshakeMillis = Math.max(1, Math.min(MAX_HANDSHAKE_MILLIS, recordTimeout.toMillis()));
  }

  /** True once TLS is in front of the connection. */
  boolean started() {
    return sslHandler != null;
  }

  /** True while TLS is started but its handshake is not done: nothing may be read as a call. */
  boolean handshaking() {
    return sslHandler != null && !sslHandler.handshakeFuture().isDone();
  }

  List<X509Certificate> peerCertificates() {
    return peerCertificates;
  }

  /**
   * Flushes the STARTTLS reply in plaintext, then puts TLS in front of everything else. RFC 9289
   * has the client wait for that reply before its handshake, so bytes already read behind the
   * probe are a client that did not wait: they cannot be trusted as TLS nor as calls, and the
   * connection is closed (false).
   */
  boolean start(Channel channel, RateLimitedLog log) {
    if (decoder.bufferedBytes() > 0) {
      log.warn(LOG, "closing {}: it sent {} bytes after the AUTH_TLS probe before the reply",
          channel.remoteAddress(), decoder.bufferedBytes());
      channel.close();
      return false;
    }
    channel.flush();
    SslHandler handler = tls.newHandler(channel.alloc());
    handler.setHandshakeTimeoutMillis(handshakeMillis);
    sslHandler = handler;
    handler.handshakeFuture().addListener(done -> {
      if (done.isSuccess()) {
        peerCertificates = verifiedChain(handler);
      } else {
        LOG.debug("TLS handshake with {} failed: {}", channel.remoteAddress(), done.cause().toString());
      }
    });
    channel.pipeline().addFirst("tls", handler);
    return true;
  }

  private static List<X509Certificate> verifiedChain(SslHandler handler) {
    Certificate[] chain;
    try {
      chain = handler.engine().getSession().getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of(); // no client certificate asked for, or none given where optional
    }
    List<X509Certificate> x509 = new ArrayList<>(chain.length);
    for (Certificate c : chain) {
      if (c instanceof X509Certificate x) {
        x509.add(x);
      }
    }
    return List.copyOf(x509);
  }
}
