package org.onyxrpc.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.group.ChannelGroup;
import org.onyxrpc.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replies written to connections and not yet taken by their peers' sockets, across the server:
 * a budget of their own (records are charged to another), so that a client that pipelines calls
 * and does not read their replies cannot hold the server's memory. While the budget is spent,
 * the connection with the most replies waiting is closed: the greediest non-reader, not whoever
 * happens to have a large reply in flight, and never because uploads spent the other budget.
 */
final class UnreadReplies {
  private static final Logger LOG = LoggerFactory.getLogger(UnreadReplies.class);

  private final ByteBudget budget;
  private final ChannelGroup channels;
  private final RateLimitedLog closing = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);

  UnreadReplies(long maxBytes, ChannelGroup channels) {
    this.budget = new ByteBudget(maxBytes);
    this.channels = channels;
  }

  /** Bytes written to {@code channel} and not yet taken by its socket; any thread may ask. */
  static long unsent(Channel channel) {
    ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
    return unsent == null ? 0 : unsent.totalPendingWriteBytes();
  }

  /** Adds {@code delta} bytes (negative to give back); sheds the greediest reader if spent. */
  void adjust(long delta) {
    budget.adjust(delta);
    if (delta > 0 && budget.spent()) {
      closeGreediest();
    }
  }

  long held() {
    return budget.held();
  }

  private void closeGreediest() {
    Channel greediest = null;
    long most = 0;
    for (Channel c : channels) {
      // A connection's, not a listener's or the UDP socket's: only connections are charged.
      long unsent = c.isActive() && !c.isWritable() && c.pipeline().get(ReceiveGuard.class) != null
          ? unsent(c) : 0;
      if (unsent > most) {
        greediest = c;
        most = unsent;
      }
    }
    if (greediest != null) {
      closing.warn(LOG, "closing {}: {} bytes of replies it does not read, and the server's budget for unread replies is spent",
          greediest.remoteAddress(), most);
      greediest.close();
    }
  }
}
