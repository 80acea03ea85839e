package org.onyxrpc.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * Between the socket and a connection's TLS handler: holds back the reads TLS asks for on its
 * own while the connection reads nothing (auto-read off) because its writes pile up unsent (the
 * channel is not writable). Netty's SslHandler asks for another read, auto-read off or not, after
 * every read whose records gave the connection no bytes; a TLS 1.3 KeyUpdate with
 * update_requested gives none and makes the server's engine write a KeyUpdate of its own. So a
 * client that sent them without end and read nothing made the server queue about 22 bytes for
 * every 27 it sent, without bound: 36 MB in 30 s on one loopback connection
 * (TlsKeyUpdateFloodTest). With the hold, what is queued stops at what one read took while the
 * connection was still writable. The connection's own reads (auto-read on again once its writes
 * drain) pass. Runs on the connection's event loop.
 */
final class TlsReadHold extends ChannelOutboundHandlerAdapter {
  private volatile int held;

  @Override
  public void read(ChannelHandlerContext ctx) {
    Channel channel = ctx.channel();
    if (!channel.isWritable() && !channel.config().isAutoRead()) {
      held++; // only this event loop writes it
      return; // auto-read, set again when the writes drain, reads on
    }
    ctx.read();
  }

  /** Reads held back so far (tests). */
  int held() {
    return held;
  }
}
