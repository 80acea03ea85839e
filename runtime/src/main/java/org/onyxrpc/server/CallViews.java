package org.onyxrpc.server;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What one connection's calls reuse while {@link CallProcessor#process} reads them, one after
 * another on the connection's I/O thread: the {@link Peer} its authenticator is shown, made per
 * call before. Not handed to a procedure, which may run on another thread while the next call is
 * read; a peer is immutable.
 */
final class CallViews {
  private Peer peer; // null until the first call is authenticated

  /**
   * The connection's peer as {@code sink} tells it now: the one made for its last call, unless
   * TLS has started or proved a certificate chain since.
   */
  Peer peer(ReplySink sink) {
    Peer kept = peer;
    boolean tls = sink.tls();
    List<X509Certificate> certificates = sink.peerCertificates();
    if (kept == null || kept.tls() != tls || kept.certificates() != certificates) {
      kept = newPeer(sink, tls, certificates);
      peer = kept;
    }
    return kept;
  }

  /** A peer made for one call (a datagram's, whose sender may differ from the last one's). */
  static Peer newPeer(ReplySink sink) {
    return newPeer(sink, sink.tls(), sink.peerCertificates());
  }

  private static Peer newPeer(ReplySink sink, boolean tls, List<X509Certificate> certificates) {
    return new Peer(sink.remoteAddress(), sink.transport(), tls, certificates,
        Optional.ofNullable(sink.peerCredentials()));
  }
}
