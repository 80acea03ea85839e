package org.onyxrpc.server;

/** Whether a TLS server ({@link RpcServerBuilder#tls}) also serves plaintext calls. */
public enum TlsMode {
  /** Plaintext calls are served; a client that sends the RFC 9289 probe gets TLS. */
  OFFER,
  /**
   * Only the RFC 9289 probe (a NULL call with AUTH_TLS) is served in plaintext; every other
   * plaintext call is refused with AUTH_ERROR {@code AUTH_TOOWEAK}: the caller's credentials may
   * be fine, but not over this channel. UDP cannot carry TLS (there is no DTLS): such a server
   * listens on TCP without UDP beside it, and refuses to be built with UDP asked for.
   */
  REQUIRE
}
