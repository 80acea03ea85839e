package org.onyxrpc.server;

/** Whether a TLS server ({@link RpcServerBuilder#tls}) also serves plaintext calls. */
public enum TlsMode {
  /** Plaintext calls are served; a client that sends the RFC 9289 probe gets TLS. */
  OFFER,
  /**
   * Only the RFC 9289 probe (a NULL call with AUTH_TLS) is served in plaintext; every other
   * plaintext call is refused with AUTH_ERROR {@code AUTH_TOOWEAK}: the caller's credentials may
   * be fine, but not over this channel. UDP cannot carry TLS (there is no DTLS): such a server
   * listens on TCP without UDP beside it, and refuses to be built with UDP asked for. What is
   * required is TLS on the network: calls on the server's {@linkplain
   * RpcServerBuilder#unixSocket Unix-domain socket}, which never leave the machine, and {@linkplain
   * RpcServerBuilder#inProcess in-process} calls, which never leave the JVM, are served in
   * plaintext (neither can carry TLS). Who may use the socket is up to its file's permissions and
   * the {@link Authenticator}, which sees the caller's uid in {@link Peer#peerCredentials()}; one
   * that requires a client certificate, as {@link CertificateAuthenticator} does, refuses them.
   */
  REQUIRE
}
