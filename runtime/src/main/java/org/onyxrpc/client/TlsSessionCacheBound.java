package org.onyxrpc.client;

import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCounted;
import javax.net.ssl.SSLSessionContext;

/**
 * Bounds the session cache of a TLS client's context, which the server fills: every TLS 1.3
 * NewSessionTicket it sends becomes a cached session holding the ticket (up to 64 KiB) and a
 * derived key. Both engines cache by default for as long as the context lives: the JDK's up to
 * 20,480 sessions for 24 h, Netty's for OpenSSL up to 20,480 for 300 s (the system property
 * {@code javax.net.ssl.sessionCacheSize}). A server that sent thousands of tickets had the client
 * keep them (TlsSessionTicketCacheTest: 1000 from one connection with OpenSSL's engine, 61 from
 * five connections of 60 with the JDK's), and the cache is the context's, shared by every client
 * built on it.
 *
 * <p>Caching is kept, not turned off: the engines are made for the server's host and port
 * ({@link ClientTls}), so a new connection to a server offers the session it cached for it and
 * may resume, which saves the server's signature and the client's check of its certificate. A
 * few sessions per server are all that resuming needs (servers send one or two tickets).
 */
final class TlsSessionCacheBound {
  /** The most sessions a TLS client's context keeps cached. */
  static final int MOST = 32;

  private TlsSessionCacheBound() {}

  /**
   * Lowers the context's cache to {@link #MOST} sessions, unless it is smaller already. It is set
   * on the context, so it holds for every engine the context makes, Onyx's or not.
   */
  static void apply(SslContext context) {
    SSLSessionContext sessions = context.sessionContext();
    if (sessions == null) {
      return;
    }
    int size = sessions.getSessionCacheSize();
    // The JDK's 0 is "no limit"; OpenSSL's contexts (reference-counted) take it as "cache none".
    boolean unlimited = size == 0 && !(context instanceof ReferenceCounted);
    if (unlimited || size > MOST) {
      sessions.setSessionCacheSize(MOST);
    }
  }
}
