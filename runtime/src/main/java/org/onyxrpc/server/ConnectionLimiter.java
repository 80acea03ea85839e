package org.onyxrpc.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.local.LocalChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits on the listening channel and keeps the server within its maximum of connections. At the
 * maximum, a newcomer takes the place of the connection that has been quiet longest with no call
 * in flight (a peer trickling a record byte by byte is one), so that idle or slow peers cannot
 * lock everyone out; only when every connection has calls in flight is the newcomer closed.
 */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

  private final int maxConnections;
  private final ChannelGroup channels;
  private final AtomicInteger open = new AtomicInteger();
  private final RateLimitedLog refusals = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private final RateLimitedLog evictions = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  final LongAdder rejected = new LongAdder(); // newcomers refused and idlers evicted

  ConnectionLimiter(int maxConnections, ChannelGroup channels) {
    this.maxConnections = maxConnections;
    this.channels = channels;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel child = (Channel) msg;
    if (open.incrementAndGet() > maxConnections) {
      Channel victim = idlest();
      if (victim == null) {
        open.decrementAndGet();
        rejected.increment();
        refusals.warn(LOG, "refusing {}: already {} connections, all with calls in flight",
            child.remoteAddress(), maxConnections);
        refuse(ctx, child);
        return;
      }
      rejected.increment();
      evictions.warn(LOG, "closing {}, the idlest of {} connections, to make room for {}",
          victim.remoteAddress(), maxConnections, child.remoteAddress());
      victim.close(); // its close gives its place back
    }
    child.closeFuture().addListener(f -> open.decrementAndGet());
    channels.add(child);
    ctx.fireChannelRead(child);
  }

  /**
   * Closes a refused newcomer. A socket is closed before it is registered (the kernel tells the
   * peer); an in-process caller would never learn of that (Netty's local channels leave a
   * pending connect pending), so it is connected first, then closed.
   */
  private static void refuse(ChannelHandlerContext ctx, Channel child) {
    if (child instanceof LocalChannel) {
      child.pipeline().addFirst(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelActive(ChannelHandlerContext childCtx) {
          childCtx.close();
        }
      });
      ctx.fireChannelRead(child);
    } else {
      child.unsafe().closeForcibly();
    }
  }

  /** Connections open now. */
  int open() {
    return open.get();
  }

  /** The open connection quiet longest with no call in flight, or null if there is none. */
  private Channel idlest() {
    Channel idlest = null;
    long oldest = 0;
    for (Channel c : channels) {
      ReceiveGuard guard = c.isActive() ? c.pipeline().get(ReceiveGuard.class) : null;
      if (guard != null && guard.evictable()) {
        long last = guard.lastReadNanos;
        if (idlest == null || last - oldest < 0) {
          idlest = c;
          oldest = last;
        }
      }
    }
    return idlest;
  }
}
