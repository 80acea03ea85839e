package org.onyxrpc.server;

import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the {@link ConnectionLimiter} asks of an admitted connection when it must make room,
 * whoever reads it: an event loop's ({@link ReceiveGuard}) or a thread of its own ({@link
 * BlockingTcpConnection}). Asked off the connection's thread.
 */
interface LimitedConnection {
  /** False once closed. */
  boolean open();

  /** What the limiter counted it by: a {@code ClientAddress}, a Unix-domain user, or null. */
  Object client();

  /** The limiter's mark that it counts in the maximum and its client's share; null if never. */
  AtomicBoolean counted();

  /** No call held and every reply taken by the peer: a fair one to evict. */
  boolean evictable();

  /** No call held, but a reply the peer has not taken: goes after the idle. */
  boolean onlyRepliesUntaken();

  /** Every call it holds waits watching it ({@link CallContext#onConnectionClosed}). */
  boolean onlyWatchingCalls();

  /** When the record it holds part of began, if behind the minimum rate ({@link RecordClock}); else -1. */
  long behindMinimumRateSince(long now);

  /** Bytes of replies it is writing that its peer has not yet taken. */
  long unsentReplies();

  /** When its peer last sent bytes. */
  long lastReadNanos();

  /** True once chosen to make room (and closing): not chosen again. */
  boolean chosen();

  /** Marks it chosen to make room. */
  void choose();

  /** The peer's address, for the log. */
  SocketAddress remoteAddress();

  /** Closes it. */
  void close();
}
