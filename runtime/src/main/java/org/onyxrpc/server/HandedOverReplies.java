package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection's replies made off its event loop (by procedures on an executor), charged to
 * {@link UnreadReplies} as they are handed over, before Netty queues them. Counted only by the
 * event loop ({@link ReceiveGuard}'s recount, after the call finishes), a reply handed over sat
 * uncharged in Netty's queue meanwhile, and a loop busy elsewhere let every call in flight pile
 * its reply up first (24 MiB against a budget of 16: {@code OffLoopUnreadRepliesTest}). While
 * the budget is spent, a reply for the connection {@link UnreadReplies} would close (its peer
 * leaves the most replies untaken) is dropped rather than queued, and the connection closed.
 *
 * <p>Each charge is given back once: the loop's recount takes over those of replies already
 * queued ({@link #takeQueued}), which it then counts as the channel's unsent bytes, and gives
 * them back as the peer takes them or the connection goes; a reply dropped gives its own back;
 * and one queued after the connection has gone, which no recount will see, gives its own back.
 *
 * <p>A reply still being encoded is not charged: its buffer lives only inside {@code
 * ProcedureRunner.finish}, from {@code newReply()} to the hand-over, on the one thread that
 * finishes the call (one of at most maxConcurrentCalls runners, or the thread completing an
 * asynchronous procedure's stage), so what is held uncharged at once is at most one reply per
 * such thread, not one per call in flight: with the default of max(16, 4 × cores) runners and
 * 1 MiB replies, 16 MiB on two cores whatever the peers pipeline, where one connection's calls
 * in flight (128) would have made 128 MiB. Charging earlier would cost every call: a codec cannot
 * tell a reply's size before encoding it, and following the buffer as it grows is an atomic on
 * the shared budget per growth, on the direct executor's path too.
 */
final class HandedOverReplies {
  /** The connection has gone and given back what it held: later charges are their own to return. */
  private static final long GONE = Long.MIN_VALUE / 2;

  private final UnreadReplies budget;
  // Charged at hand-over and queued in Netty (so in the channel's unsent bytes), or about to be,
  // not yet taken over by the loop's recount; GONE once the connection is gone.
  private final AtomicLong queued = new AtomicLong();

  HandedOverReplies(UnreadReplies budget) {
    this.budget = budget;
  }

  /**
   * Off the event loop: charges {@code reply} and writes it to {@code channel}, this connection's,
   * or drops it, the connection closing.
   */
  void writeAndFlush(Channel channel, ByteBuf reply) {
    if (!admit(reply.readableBytes(), channel)) { // the charge already given back
      reply.release();
      return;
    }
    channel.writeAndFlush(reply, channel.voidPromise());
  }

  /**
   * Charges {@code bytes} of a reply about to be queued for {@code connection}, this one's (a
   * channel, or a {@link BlockingTcpConnection}, whose {@link ConnectionWriter} queues it): true,
   * or false, the charge given back and the reply to be dropped, the connection closing as the
   * greediest while the budget is spent.
   */
  boolean admit(long bytes, Object connection) {
    if (!budget.admit(bytes, connection)) {
      return false;
    }
    // Counted before it is queued, never after: a recount in between (the queued write may run
    // at once, and its peer's not taking it change the channel's writability) would find it in
    // the unsent bytes and charge it a second time, and the double charge spend the budget and
    // close a reader with one large reply on its way (SlowAndGreedyPeersTest, a 5 MiB reply
    // against 8 MiB). Counted before, a recount in between gives it back for a moment, and the
    // next one, as its call finishes, charges it again from the unsent bytes.
    if (queued.getAndAdd(bytes) < 0) {
      budget.adjust(-bytes); // the connection is gone: no recount will take it over
    }
    return true;
  }

  /**
   * For a connection with a writer of its own, which no event loop recounts: {@code bytes}
   * charged by {@link #admit} were passed to the socket, or dropped; given back, unless the
   * connection has gone, whose {@link #gone} gave them back already.
   */
  void taken(long bytes) {
    if (queued.getAndAdd(-bytes) >= 0) {
      budget.adjust(-bytes);
    }
  }

  /** Bytes charged and not yet taken over, taken or given back: 0 once the connection is gone. */
  long held() {
    return Math.max(0, queued.get());
  }

  /**
   * On the event loop, before it reads the channel's unsent bytes: the charges of replies queued
   * (or about to be) since it last did, which those bytes count from then on (or counted, if
   * already taken), and which it must not charge again.
   */
  long takeQueued() {
    // A read first: with replies made on the loop (directExecutor) there are never any, and
    // the loop's count of each call pays no atomic write for them.
    // Never GONE here: the recount stops before the connection is gone.
    return queued.get() == 0 ? 0 : queued.getAndSet(0);
  }

  /** On the event loop, once the connection is gone: the charges not yet taken over, to give back. */
  long gone() {
    long taken = queued.getAndSet(GONE);
    return taken < 0 ? 0 : taken;
  }
}
