package org.onyxrpc.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sits on the listening channel and closes connections beyond the server's maximum at once. */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

  private final int maxConnections;
  private final ChannelGroup channels;
  private final AtomicInteger open = new AtomicInteger();
  final LongAdder rejected = new LongAdder();

  ConnectionLimiter(int maxConnections, ChannelGroup channels) {
    this.maxConnections = maxConnections;
    this.channels = channels;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel child = (Channel) msg;
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      rejected.increment();
      LOG.warn("refusing {}: already {} connections", child.remoteAddress(), maxConnections);
      child.unsafe().closeForcibly();
      return;
    }
    child.closeFuture().addListener(f -> open.decrementAndGet());
    channels.add(child);
    ctx.fireChannelRead(child);
  }
}
