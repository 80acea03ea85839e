package org.onyxrpc.server;

import io.netty.channel.Channel;
import org.onyxrpc.internal.transport.NettyTransports;

/**
 * Who the peer of an event loop's connection is without TLS: over a Unix-domain socket, the
 * connecting process's credentials, asked of the kernel once, before any call is read (its
 * answer is the connecting process's), and the caller identity they make; over any other
 * transport, none and plaintext.
 *
 * @param credentials the Unix-domain peer's, or null
 * @param identity its {@link CallerIdentity}
 */
record UnixPeer(PeerCredentials credentials, int identity) {
  static final UnixPeer NONE = new UnixPeer(null, CallerIdentity.PLAINTEXT);

  /** The peer of {@code channel}, once it is active. */
  static UnixPeer of(Channel channel) throws java.io.IOException {
    io.netty.channel.unix.PeerCredentials peer = NettyTransports.peerCredentials(channel);
    if (peer == null) {
      return NONE;
    }
    int[] gids = peer.gids();
    PeerCredentials credentials = new PeerCredentials(peer.pid(), peer.uid(), gids.length == 0 ? -1 : gids[0]);
    return new UnixPeer(credentials, CallerIdentity.unix(credentials));
  }
}
