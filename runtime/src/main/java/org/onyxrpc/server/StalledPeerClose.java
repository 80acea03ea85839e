package org.onyxrpc.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * While a shutting-down server waits for a connection's replies to be written, closes the
 * connection once its peer stops taking them: every {@code period} the bytes still in the
 * channel's outbound buffer must have gone down, or the peer is taken for stalled (stopped, or
 * never reading) and its replies are let go. A peer that reads, however slowly, gets them whole
 * within the shutdown timeout; one that does not holds the close for one period, not the whole
 * timeout.
 */
final class StalledPeerClose {
  private StalledPeerClose() {}

  /** On the event loop: starts watching {@code channel}, which closes behind its replies. */
  static void watch(Channel channel, Duration period) {
    schedule(channel, period, pending(channel));
  }

  private static void check(Channel channel, Duration period, long before) {
    long pending = pending(channel);
    if (!channel.isOpen() || pending == 0) {
      return; // closed, or every reply written: the close behind them has its own bound
    }
    if (pending >= before) {
      channel.close();
      return;
    }
    schedule(channel, period, pending);
  }

  private static void schedule(Channel channel, Duration period, long pending) {
    try {
      channel.eventLoop().schedule(() -> check(channel, period, pending), period.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // the event loop is ending, and its connections are closed with it
    }
  }

  /**
   * Bytes still to write. Netty lowers its pending total only when a message is written whole, so
   * what is written of the one under way is taken off: a large reply read steadily is progress.
   */
  private static long pending(Channel channel) {
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    return out == null ? 0 : out.totalPendingWriteBytes() - out.currentProgress();
  }
}
