package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;

/**
 * What one connection's calls reuse while {@link CallProcessor#process} reads them, one after
 * another on the connection's I/O thread: the reader of the call's header and arguments, and the
 * {@link Peer} its authenticator is shown. Made per call, they were two of the objects each call
 * cost. Neither is handed to a procedure, which may run on another thread while the next call is
 * read: the reader is done with once the arguments are decoded, and a peer is immutable.
 */
final class CallViews {
  private XdrReader reader; // null until the first call is read, and while one is read with it
  private Peer peer; // null until the first call is authenticated

  /**
   * A reader of {@code message} within {@code limits}, without stack traces: this connection's
   * own, unless it is in use (a call started inside another's end, as a waiting record is) or
   * was made for other limits (a crowded budget's): then a new one. Given back with {@link
   * #readerDone}.
   */
  XdrReader reader(ByteBuf message, XdrLimits limits) {
    XdrReader kept = reader;
    if (kept == null || kept.limits() != limits) {
      return XdrReader.withoutStackTraces(message, limits);
    }
    reader = null;
    return kept.reset(message);
  }

  /** Keeps {@code done}, from {@link #reader}, for the next call if it has the usual limits. */
  void readerDone(XdrReader done, XdrLimits usual) {
    if (done.limits() == usual) {
      reader = done.reset(Unpooled.EMPTY_BUFFER); // not the message, which is released
    }
  }

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
