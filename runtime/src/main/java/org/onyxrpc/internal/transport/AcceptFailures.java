package org.onyxrpc.internal.transport;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a listening channel on the event loops (a server's ports, the directory's local socket
 * relay) does when accept(2) fails (EMFILE at the
 * descriptor limit, ENFILE, ENOBUFS): one WARN line per ten seconds, and no accepts for a
 * second, as Netty's own acceptor would. Left to Netty, each failure also reached the end of the
 * pipeline, which logs a WARN and a stack trace: once a second for as long as a flood of
 * connections holds the descriptors. Made with the server, so that its class is loaded while
 * descriptors are left (a class read from a directory needs one).
 */
public final class AcceptFailures {
  /** How long accepts pause after a failed one: Netty's own acceptor pauses a second. */
  public static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final Logger LOG = LoggerFactory.getLogger(AcceptFailures.class);
  private final RateLimitedLog errors = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);

  /**
   * Logs {@code cause} (rate limited) and stops accepting on {@code ctx}'s channel for {@link
   * #RETRY_NANOS}: the newcomer stays in the backlog, and accepting again at once would fail
   * again at once.
   *
   * @param ctx the listening channel's handler that caught the failure
   * @param cause what accept(2) failed with
   */
  public void failed(ChannelHandlerContext ctx, Throwable cause) {
    SocketAddress local = ctx.channel().localAddress();
    errors.warn(LOG, "cannot accept on {}: {}", local, cause.toString());
    ChannelConfig config = ctx.channel().config();
    if (config.isAutoRead()) {
      config.setAutoRead(false);
      ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true),
          RETRY_NANOS, TimeUnit.NANOSECONDS);
    }
  }
}
