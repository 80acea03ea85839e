package org.onyxrpc.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * Between the socket and a TLS connection's TLS handler: gives the connection up when more than
 * {@code most} bytes wait to be written on it. The calls' own bytes are bounded before they are
 * written ({@link ConnectionSetup#mayQueue}); TLS writes some of its own, unasked, in answer to
 * what the server sends: a TLS 1.3 KeyUpdate with update_requested makes the engine write a
 * KeyUpdate back. A server that sent them without end and read nothing made the client queue
 * about one for each it read, without bound, while the calls on the connection waited out their
 * deadlines (TlsKeyUpdateFloodFromTheServerTest). Reading less instead is no cure: a client that
 * stops reading while its writes wait, beside a server that does the same, would wait forever.
 * Before it, TlsNoDataBound ends such a flood on the JDK's engine (64 key updates in all), and
 * BoringSSL ends 33 key updates in a row; but BoringSSL's count starts again at any data or other
 * message, so a server that puts some between its key updates is bounded here only
 * (TlsQueueBoundTest). Runs on the connection's event loop.
 */
final class TlsQueueBound extends ChannelInboundHandlerAdapter {
  private final long most;
  private boolean over;

  TlsQueueBound(long most) {
    this.most = most;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (over) {
      ReferenceCountUtil.release(msg); // the connection is closing: nothing more is read from it
      return;
    }
    long queued = queued(ctx.channel());
    if (queued <= most) {
      ctx.fireChannelRead(msg);
      return;
    }
    over = true;
    ReferenceCountUtil.release(msg);
    // The connection's handler tells its calls why, and closes at once for what is queued.
    ctx.fireExceptionCaught(new IOException(queued + " bytes wait to be written, over the " + most
        + " a connection may hold: the server reads nothing of what it makes TLS answer"));
  }

  private static long queued(Channel c) {
    ChannelOutboundBuffer buffer = c.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }
}
