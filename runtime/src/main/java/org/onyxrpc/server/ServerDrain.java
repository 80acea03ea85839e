package org.onyxrpc.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.group.ChannelGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The drain of a server's shutdown, once it has stopped listening: the calls in flight are
 * waited for, while every call that comes meanwhile is refused PROG_UNAVAIL (the server's
 * registrations are withdrawn and nothing runs: its client may send it elsewhere, and a C client
 * reads a clean refusal). ONC RPC has no GOAWAY, so a connection is not cut under a call its
 * client may be sending: each stays open, refusing, until its client closes its end (an Onyx
 * client that drops the instance does, once its calls are answered) or a grace after the drain
 * ({@link LingeringClose#bound}: 2 s, no more than the shutdown timeout) passes; then it closes
 * behind its replies, lingering. The grace is spent only on a server whose clients are calling:
 * one that had calls in flight when the drain began, or refused one since, or refuses one within
 * {@link #SETTLE_NANOS} of the drain's end. Connections idle throughout close after that, as
 * before: a grace for them made every shutdown with a client left open 2 s longer (the build's
 * tests 6 minutes longer).
 */
final class ServerDrain {
  /**
   * How long a drain with connections open but no call in flight watches for a refusal before it
   * closes them at once: a client calling back to back sends its next call within it.
   */
  static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final long SETTLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private final ServerState state;
  private final ChannelGroup channels;
  private final Listeners listeners;
  private final LongSupplier refusals; // calls refused by drains so far

  ServerDrain(ServerState state, ChannelGroup channels, Listeners listeners, LongSupplier refusals) {
    this.state = state;
    this.channels = channels;
    this.listeners = listeners;
    this.refusals = refusals;
  }

  /**
   * Drains for at most {@code timeout}: true if every call finished in time, and then the
   * connections were closed behind their replies (waited for within {@code timeout}).
   */
  boolean drain(Duration timeout) {
    long deadline = System.nanoTime() + ServerState.nanos(timeout);
    boolean calling = state.inFlight() > 0;
    long refusedBefore = refusals.getAsLong();
    state.beginDrain(); // from here, what is read is refused (TcpConnection, BlockingTcpConnection)
    listeners.blockingTcpDrainBegan();
    boolean drained;
    try {
      drained = state.drain(ServerState.nanos(timeout));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    }
    if (drained) {
      if (!calling && refusals.getAsLong() == refusedBefore && hasConnections()) {
        calling = refusedWithin(deadline, refusedBefore);
      }
      if (calling || refusals.getAsLong() != refusedBefore) {
        long grace = Math.min(deadline, System.nanoTime() + LingeringClose.bound(timeout).toNanos());
        awaitPeersClosing(grace);
      }
      closeBehindReplies(deadline);
    }
    return drained;
  }

  /**
   * Whether a call is refused within {@link #SETTLE_NANOS}: a client calling back to back can be
   * between two calls at the drain's instant, none in flight and none refused yet, and closing at
   * once cut the call it was sending (examples' RollingRestartTest: an at-most-once call ended
   * OUTCOME_UNKNOWN, "the connection was lost before its reply", in about one run in five).
   */
  private boolean refusedWithin(long deadline, long refusedBefore) {
    long end = Math.min(deadline, System.nanoTime() + SETTLE_NANOS);
    while (refusals.getAsLong() == refusedBefore) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      LockSupport.parkNanos(this, Math.min(left, SETTLE_POLL_NANOS));
    }
    return true;
  }

  private boolean hasConnections() {
    for (Channel c : channels) {
      if (c.pipeline().get(TcpConnection.class) != null) {
        return true;
      }
    }
    return listeners.hasBlockingTcpConnections();
  }

  /** The grace: until every connection's peer has closed its end, or {@code grace}. */
  private void awaitPeersClosing(long grace) {
    for (ChannelFuture close : connectionCloses()) {
      if (!close.awaitUninterruptibly(left(grace))) {
        return;
      }
    }
    listeners.awaitBlockingTcpEnded(grace);
  }

  /**
   * Each connection closes when its replies are written, which a slow reader may take a while
   * over (a call that ran is answered, not cut off), waited for until {@code deadline}; the
   * server's shutdown closes what is left.
   */
  private void closeBehindReplies(long deadline) {
    List<ChannelFuture> closes = new ArrayList<>();
    for (Channel c : channels) {
      TcpConnection connection = c.pipeline().get(TcpConnection.class);
      if (connection != null) {
        try {
          c.eventLoop().execute(connection::closeBehindRepliesForShutdown);
          closes.add(c.closeFuture());
        } catch (RejectedExecutionException e) {
          // its event loop is gone, and the connection with it
        }
      }
    }
    listeners.closeBlockingTcpBehindReplies(deadline); // lingering, beside the event loops'
    for (ChannelFuture close : closes) {
      if (!close.awaitUninterruptibly(left(deadline))) {
        return;
      }
    }
  }

  private List<ChannelFuture> connectionCloses() {
    List<ChannelFuture> closes = new ArrayList<>();
    for (Channel c : channels) {
      if (c.pipeline().get(TcpConnection.class) != null) {
        closes.add(c.closeFuture());
      }
    }
    return closes;
  }

  /** Milliseconds until {@code deadline}, at least 0. */
  private static long left(long deadline) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }
}
