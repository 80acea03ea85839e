package org.onyxrpc.server;

/** Whether a TLS server ({@link RpcServerBuilder#tls}) also serves plaintext calls. */
public enum TlsMode {
  /** Plaintext calls are served; a client that sends the RFC 9289 probe gets TLS. */
  OFFER,
  /**
   * Only the RFC 9289 probe (a NULL call with AUTH_TLS) is served in plaintext; every other
   * plaintext call, and every UDP call (there is no DTLS), is refused with AUTH_ERROR
   * {@code AUTH_TOOWEAK}: the caller's credentials may be fine, but not over this channel.
   */
  REQUIRE
}
