package org.onyxrpc.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
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
   * How long a connection closed after waiting up to {@code closeTimeout} for its calls lingers:
   * no longer than that wait, so a short shutdown timeout keeps the linger short too. Shared by
   * the event loops' connections and {@link BlockingLinger}'s.
   */
  static Duration bound(Duration closeTimeout) {
    return closeTimeout.compareTo(MAX_LINGER) < 0 ? closeTimeout : MAX_LINGER;
  }

  /**
   * Once {@code written} (the replies) is done: over TLS ({@code tls} not null), its close_notify
   * goes behind them first, so the peer reads the end of TLS, not a truncation (only then: the
   * engine wraps nothing after it); then the output is shut and the connection lingers, at most
   * {@code linger}, and {@code lingering} runs, on the event loop, so its owner keeps it reading.
   * What was written behind the replies while they waited for the peer (refusals of the calls it
   * sent meanwhile) goes out first, the same way: shut under them, the output threw them away.
   * A write that failed closes the connection instead.
   */
  static void afterReplies(ChannelFuture written, DuplexChannel channel, ConnectionTls tls,
      Duration linger, Runnable lingering) {
    written.addListener(w -> {
      if (w.isSuccess() && channel.isActive() && writtenBehind(channel)) {
        afterReplies(channel.writeAndFlush(Unpooled.EMPTY_BUFFER), channel, tls, linger, lingering);
      } else if (w.isSuccess() && channel.isActive() && tls != null) {
        tls.closeOutbound().addListener(sent -> begin(sent.isSuccess(), channel, linger, lingering));
      } else {
        begin(w.isSuccess(), channel, linger, lingering);
      }
    });
  }

  /**
   * Whether writes wait in the channel's buffer behind one just done (its own entry is gone from
   * the buffer, though its bytes are still counted in the pending total).
   */
  private static boolean writtenBehind(Channel channel) {
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    return out != null && !out.isEmpty();
  }

  private static void begin(boolean written, DuplexChannel channel, Duration linger, Runnable lingering) {
    if (!written || !channel.isActive()) {
      channel.close();
      return;
    }
    LingeringClose close = new LingeringClose();
    channel.pipeline().addFirst(close);
    close.deadline = channel.eventLoop().schedule(() -> {
      channel.close();
    }, linger.toNanos(), TimeUnit.NANOSECONDS);
    channel.shutdownOutput().addListener(shut -> {
      if (!shut.isSuccess()) {
        channel.close(); // gone already: nothing left to linger for
      }
    });
    lingering.run();
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
