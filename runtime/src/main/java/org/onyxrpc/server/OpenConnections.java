package org.onyxrpc.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.group.ChannelGroup;

/**
 * What a server's open connections hold now, for tests that read a limit's effect. A guard's or
 * a connection's own state is asked on the connection's event loop, where it lives, so after any
 * read under way there.
 */
final class OpenConnections {
  private final ChannelGroup channels;
  private final Iterable<LimitedConnection> dedicated; // TcpIo.DEDICATED_THREAD's

  OpenConnections(ChannelGroup channels, Iterable<LimitedConnection> dedicated) {
    this.channels = channels;
    this.dedicated = dedicated;
  }

  /** Connections not read until the byte budget, or their client's share of it, has room. */
  int starved() {
    int starved = 0;
    for (Channel c : channels) {
      ReceiveGuard guard = c.pipeline().get(ReceiveGuard.class);
      if (guard != null && !c.eventLoop().submit(guard::mayRead).syncUninterruptibly().getNow()) { // asked where set
        starved++;
      }
    }
    for (LimitedConnection c : dedicated) {
      if (c instanceof BlockingTcpConnection blocking && blocking.starved()) {
        starved++; // its thread publishes what this reads
      }
    }
    return starved;
  }

  /**
   * Connections a newcomer at {@code maxConnections} may evict now: no call held and every reply
   * passed to the socket. Asked on each connection's loop, so after the bookkeeping of a write
   * whose bytes its peer may have read already.
   */
  int evictable() {
    int evictable = 0;
    for (Channel c : channels) {
      ReceiveGuard guard = c.pipeline().get(ReceiveGuard.class);
      if (guard != null && c.eventLoop().submit(() -> guard.evictable(c)).syncUninterruptibly().getNow()) {
        evictable++;
      }
    }
    for (LimitedConnection c : dedicated) {
      if (c.open() && c.evictable()) { // its thread publishes what this reads
        evictable++;
      }
    }
    return evictable;
  }

  /** Buffers the dedicated connections' threads took from the allocator, for reads and replies. */
  long dedicatedAllocations() {
    long allocations = 0;
    for (LimitedConnection c : dedicated) {
      if (c instanceof BlockingTcpConnection blocking) {
        allocations += blocking.allocations(); // its thread publishes what this reads
      }
    }
    return allocations;
  }

  /**
   * Bytes of the dedicated connections' read buffers: those kept between records ({@code kept}),
   * else those read into.
   */
  long dedicatedReadBytes(boolean kept) {
    long bytes = 0;
    for (LimitedConnection c : dedicated) {
      if (c instanceof BlockingTcpConnection blocking) {
        bytes += kept ? blocking.buffers().keptBytes() : blocking.buffers().readBytes();
      }
    }
    return bytes;
  }

  /** Records the connections have read and not yet started. */
  int waitingRecords() {
    int waiting = 0;
    for (LimitedConnection c : dedicated) {
      if (c instanceof BlockingTcpConnection blocking && blocking.waitingForSlot()) {
        waiting++; // one at most: it waits before the next is taken from the stream
      }
    }
    for (Channel c : channels) {
      TcpConnection connection = c.pipeline().get(TcpConnection.class);
      if (connection != null) {
        waiting += c.eventLoop().submit(connection::waitingRecords).syncUninterruptibly().getNow();
      }
    }
    return waiting;
  }

  /** Connections on event loops whose drain is over: they close behind their replies. */
  int drainOver() {
    int over = 0;
    for (Channel c : channels) {
      TcpConnection connection = c.pipeline().get(TcpConnection.class);
      if (connection != null && c.eventLoop().submit(connection::drainIsOver).syncUninterruptibly().getNow()) {
        over++;
      }
    }
    return over;
  }

  /**
   * Sets the event-loop connections' socket send buffers to {@code bytes}, which the kernel then
   * no longer grows: what a peer leaves unread waits in the channel's own buffer sooner.
   */
  void sendBuffers(int bytes) {
    for (Channel c : channels) {
      if (c.pipeline().get(TcpConnection.class) != null) {
        c.config().setOption(io.netty.channel.ChannelOption.SO_SNDBUF, bytes);
      }
    }
  }

  /** Bytes written to the connections and not yet passed to their sockets, TLS records included. */
  long pendingWriteBytes() {
    long pending = 0;
    for (Channel c : channels) {
      ChannelOutboundBuffer out = c.unsafe().outboundBuffer();
      pending += out == null ? 0 : out.totalPendingWriteBytes();
    }
    return pending;
  }

  /** Whether some connection's TLS handler was refused a read while its writes piled up. */
  boolean tlsReadsHeld() {
    for (Channel c : channels) {
      TlsReadHold hold = c.pipeline().get(TlsReadHold.class);
      if (hold != null && hold.held() > 0) {
        return true;
      }
    }
    return false;
  }
}
