package org.onyxrpc.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.group.ChannelGroup;
import java.util.concurrent.atomic.AtomicLong;
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
  private final Iterable<? extends LimitedConnection> dedicated; // TcpIo.DEDICATED_THREAD's
  private final RateLimitedLog closing = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private final AtomicLong peak = new AtomicLong(); // the most ever held (for tests)

  UnreadReplies(long maxBytes, ChannelGroup channels) {
    this(maxBytes, channels, java.util.List.of());
  }

  /**
   * {@code dedicated}: the connections read by threads of their own, each charging the reply it
   * is writing while its peer does not take it ({@link LimitedConnection#unsentReplies}).
   */
  UnreadReplies(long maxBytes, ChannelGroup channels, Iterable<? extends LimitedConnection> dedicated) {
    this.budget = new ByteBudget(maxBytes);
    this.channels = channels;
    this.dedicated = dedicated;
  }

  /** Bytes written to {@code channel} and not yet taken by its socket; any thread may ask. */
  static long unsent(Channel channel) {
    ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
    return unsent == null ? 0 : unsent.totalPendingWriteBytes();
  }

  /** Adds {@code delta} bytes (negative to give back); sheds the greediest reader if spent. */
  void adjust(long delta) {
    long held = budget.adjust(delta);
    if (delta > 0) {
      notePeak(held);
      if (budget.spent()) {
        closeGreediest();
      }
    }
  }

  /**
   * Off the connection's own thread, before a reply of {@code bytes} is queued on {@code
   * connection} (a channel, or a {@link LimitedConnection} with a writer of its own; see {@link
   * HandedOverReplies}): charges it and returns true, or, while the budget is spent and {@code
   * connection} is the one with the most replies untaken, closes it and returns false: the
   * reply is dropped rather than queued behind those its peer does not take; so is a reply for
   * a connection already closed (each worker finishing a call of a connection just shed charged
   * one reply past the budget). While it is spent, a reply for another connection is charged all
   * the same (the greediest, being closed, gives back what it holds as its I/O thread closes it).
   */
  boolean admit(long bytes, Object connection) {
    long held = budget.tryAdd(bytes); // at most one reply past the budget, whoever charges at once
    if (held >= 0) {
      notePeak(held);
      if (budget.spent()) {
        closeGreediest();
      }
      return true;
    }
    if (closeGreediest() == connection || !open(connection)) {
      return false; // closing as the greediest now, or closed already (by an earlier charge)
    }
    notePeak(budget.adjust(bytes));
    return true;
  }

  private static boolean open(Object connection) {
    if (connection instanceof Channel channel) {
      return channel.isActive();
    }
    return !(connection instanceof LimitedConnection limited) || limited.open();
  }

  long held() {
    return budget.held();
  }

  /** The most bytes ever held at once (for tests). */
  long peak() {
    return peak.get();
  }

  /**
   * {@code now}: the bytes held just after a charge, as the charge returned them. Read again, a
   * reply written meanwhile elsewhere could have given bytes back, and the peak missed the
   * charge that spent the budget (seen: a budget of 262,144 bytes spent and its greediest
   * closed, the peak noted at 246,272).
   */
  private void notePeak(long now) {
    long before;
    while (now > (before = peak.get()) && !peak.compareAndSet(before, now)) {
      // another thread raised it meanwhile: compared again
    }
  }

  /**
   * Closes the greediest non-reader, a channel or a connection with a thread of its own, and
   * returns it (null if there is none).
   */
  private Object closeGreediest() {
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
    LimitedConnection greediestDedicated = null;
    for (LimitedConnection c : dedicated) {
      long unsent = c.open() ? c.unsentReplies() : 0;
      if (unsent > most) {
        greediestDedicated = c;
        most = unsent;
      }
    }
    if (greediestDedicated == null && greediest == null) {
      return null;
    }
    closing.warn(LOG, "closing {}: {} bytes of replies it does not read, and the server's budget for unread replies is spent",
        greediestDedicated != null ? greediestDedicated.remoteAddress() : greediest.remoteAddress(), most);
    if (greediestDedicated != null) {
      greediestDedicated.close();
      return greediestDedicated;
    }
    greediest.close();
    return greediest;
  }
}
