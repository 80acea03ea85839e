package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrWriter;

/** Where the replies to calls from one connection or datagram go; hides TCP framing from UDP. */
interface ReplySink {
  /** A buffer for one reply, with room reserved for any framing the transport adds. */
  ByteBuf newReply();

  /** Frames and sends a reply made by {@link #newReply}; takes ownership of it. */
  void send(ByteBuf reply);

  /**
   * Drops a reply made by {@link #newReply} (or what a gathering writer made of it) that will not
   * be sent: its encoding failed.
   */
  default void discard(ByteBuf reply) {
    reply.release();
  }

  /**
   * A {@linkplain XdrWriter#gathering gathering} writer of {@code reply} (from {@link #newReply}):
   * one the sink keeps for the replies its own thread makes, if it can, else a new one. Handed
   * back with {@link #replyWriterDone} once its {@link XdrWriter#buffer()} is taken.
   */
  default XdrWriter replyWriter(ByteBuf reply) {
    return XdrWriter.gathering(reply);
  }

  /** {@code done}, from {@link #replyWriter}, is no longer used: the sink may keep it. */
  default void replyWriterDone(XdrWriter done) {}

  /** Called once for every call handed to a procedure, after its reply (if any) is sent. */
  void callDone();

  /**
   * Sends a call's reply and ends the call: {@link #send} then {@link #callDone}, which follows
   * even if sending fails. A connection may count such calls apart from those still running.
   */
  default void sendLast(ByteBuf reply) {
    try {
      send(reply);
    } finally {
      callDone();
    }
  }

  /**
   * False once the peer's connection is gone (closed or reset, not merely half-closed): a call
   * of it that has not started is dropped. Always true for UDP, which has no connection.
   */
  default boolean connected() {
    return true;
  }

  /** The connection's watchers, told when it closes; {@link CallConnection#none()} for UDP. */
  default CallConnection connection() {
    return CallConnection.none();
  }

  /**
   * What per-client limits count the peer by: its {@code ClientAddress}, a Unix-domain peer's
   * user, or null (in-process).
   */
  default Object client() {
    return null;
  }

  /** The peer's address. */
  SocketAddress remoteAddress();

  /** The transport the calls arrive on. */
  Transport transport();

  /** True when the calls arrive inside TLS. */
  default boolean tls() {
    return false;
  }

  /** The certificate chain the peer proved it holds in the TLS handshake, or empty. */
  default List<X509Certificate> peerCertificates() {
    return List.of();
  }

  /** The peer's credentials from the kernel, on a Unix-domain connection; else null. */
  default PeerCredentials peerCredentials() {
    return null;
  }

  /**
   * Who the connection vouches its caller is ({@link CallerIdentity}): only a caller with the
   * same may be answered with a saved at-most-once reply.
   */
  default int callerIdentity() {
    return CallerIdentity.PLAINTEXT;
  }

  /**
   * True if this sink can start TLS (a plaintext TCP connection of a TLS server); then {@link
   * #startTls} may be given the STARTTLS reply.
   */
  default boolean mayStartTls() {
    return false;
  }

  /**
   * Sends {@code startTlsReply} (to the probe {@code xid}) and what was written before it, then
   * reads and writes the rest of the connection in TLS; or, if calls sent before the probe are
   * still running, whose replies would go out inside TLS, discards it and closes the connection
   * instead.
   */
  default void startTls(ByteBuf startTlsReply, int xid) {
    discard(startTlsReply);
    throw new UnsupportedOperationException("no TLS on " + transport());
  }
}
