package org.onyxrpc.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The end of a connection whose peer sent what the server no longer reads (garbage after its
 * calls), once their replies are written: the classic lingering close. Closed at once, a socket
 * with unread bytes in its receive queue makes the kernel send a reset, which throws away the
 * replies still in the send queue and makes the peer's read fail. So the output is shut (a FIN
 * after the queued replies), and whatever the peer still sends is read and dropped, undecoded,
 * until it closes its side or {@link #MAX_LINGER} passes: a peer that never stops is closed then.
 * Put first in the pipeline, so nothing behind it (TLS, the guard, the decoder) sees those bytes.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
  /**
   * The longest a connection lingers: Apache httpd's {@code SECONDS_TO_LINGER}. Long enough for
   * a peer that reads its replies to take them and close; a lingering connection holds no call,
   * so it is evictable meanwhile and costs only its place among {@code maxConnections}.
   */
  static final Duration MAX_LINGER = Duration.ofSeconds(2);

  private ScheduledFuture<?> deadline;

  private LingeringClose() {}

  /**
   * Shuts {@code channel}'s output and closes it once its peer closes, or after {@code linger}.
   * Call on the event loop, once the replies are written; the caller then keeps it reading.
   */
  static void start(DuplexChannel channel, Duration linger) {
    LingeringClose lingering = new LingeringClose();
    channel.pipeline().addFirst(lingering);
    lingering.deadline = channel.eventLoop().schedule(() -> {
      channel.close();
    }, linger.toNanos(), TimeUnit.NANOSECONDS);
    channel.shutdownOutput().addListener(shut -> {
      if (!shut.isSuccess()) {
        channel.close(); // gone already: nothing left to linger for
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // Nothing was passed on, so nothing behind has a read to complete.
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      ctx.close(); // the peer closed its side: every byte it sent was read
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a reset while reading: the peer is gone
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    deadline.cancel(false);
    ctx.fireChannelInactive();
  }
}
