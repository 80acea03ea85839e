package org.onyxrpc.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Who a connection vouches its caller is, as one number the duplicate request cache keys an
 * at-most-once call by: a saved reply is replayed only to a caller the server would have let make
 * the call, not to anyone who learnt a client id, an xid and the arguments (a server the same
 * client also calls sees them all). Computed once per connection: {@link #PLAINTEXT} for what
 * vouches for no one (plaintext TCP and UDP, in-process), else the first 32 bits of a SHA-256 of
 * what the handshake or the kernel proved: a TLS peer's leaf certificate (or that it showed none),
 * a Unix-domain peer's user and group. Each is labelled, so two kinds are never equal but by an
 * accident no peer can steer: to match another's, a peer would need some 2^32 certificates
 * signed by a CA the server trusts, as its hash is SHA-256's, not chosen.
 */
final class CallerIdentity {
  /** No identity vouched for: plaintext TCP and UDP, in-process calls. */
  static final int PLAINTEXT = 0;
  /** A TLS peer that showed no certificate. */
  static final int TLS_WITHOUT_CERTIFICATE =
      hash("tls-without-certificate".getBytes(StandardCharsets.US_ASCII));

  private CallerIdentity() {}

  /** A TLS peer's: its leaf certificate, or that it showed none. */
  static int tls(List<X509Certificate> chain) {
    if (chain.isEmpty()) {
      return TLS_WITHOUT_CERTIFICATE;
    }
    try {
      return hash(chain.get(0).getEncoded());
    } catch (CertificateEncodingException e) { // it was decoded in the handshake; never expected
      throw new IllegalStateException("a verified certificate that cannot be encoded", e);
    }
  }

  /** A Unix-domain peer's, by the user and group the kernel reports (not the pid). */
  static int unix(PeerCredentials peer) {
    return hash(("unix " + peer.uid() + " " + peer.gid()).getBytes(StandardCharsets.US_ASCII));
  }

  private static int hash(byte[] bytes) {
    try {
      int h = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes)).getInt();
      return h == PLAINTEXT ? 1 : h;
    } catch (NoSuchAlgorithmException e) { // every Java platform has SHA-256
      throw new IllegalStateException(e);
    }
  }
}
