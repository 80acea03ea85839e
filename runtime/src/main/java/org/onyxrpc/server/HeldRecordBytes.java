package org.onyxrpc.server;

/**
 * The bytes of records one connection holds (read and not yet handed to a call), charged to the
 * server's {@link ByteBudget} and those it keeps between reads to its client's share of it;
 * while either is spent and the connection holds part of a record, it is not to be read. Kept by
 * whoever reads the connection: an event loop's {@link ReceiveGuard}, a {@link
 * BlockingTcpConnection}'s thread; touched by that reader alone.
 */
final class HeldRecordBytes {
  private final ByteBudget budget;
  private long held; // bytes charged to the budget
  private long heldInShare; // bytes charged to the client's share, kept between reads
  private Object client; // what the share is of
  private ByteBudget share; // null: in-process, no share
  private boolean starved; // not read until the budget has room
  private boolean finishing; // may be the finisher of its share: ByteBudget#mayFinish

  HeldRecordBytes(ByteBudget budget) {
    this.budget = budget;
  }

  /** Once connected: what the share is of ({@code ConnectionLimiter.client}; null: none). */
  void join(Object client) {
    this.client = client;
    share = budget.join(client);
  }

  /** Bytes just read, charged to the budget until the reader has had its look at them. */
  void arrived(long bytes) {
    held += bytes;
    budget.adjust(bytes);
  }

  /** Charges the budgets the change to {@code now}, the bytes of records the connection holds. */
  void charge(long now) {
    // Both budgets are shared by every reader: touched only when this connection's share moved.
    // Zero after a read whose records were all handed on: a call read whole costs no look here.
    // The share (which lends what it holds beyond its size) charged first and given back last,
    // so that what is lent never looks smaller than it is to the other clients' connections.
    if (now > heldInShare && share != null) {
      share.adjust(now - heldInShare);
      heldInShare = now;
    }
    if (now != held) {
      budget.adjust(now - held);
      held = now;
    }
    if (now != heldInShare) {
      if (share != null) {
        share.adjust(now - heldInShare);
      }
      heldInShare = now;
    }
  }

  /**
   * Whether the connection, holding part of a record ({@code midRecord}) or not, is to wait for a
   * budget now; true when that changed. Once it is to wait, {@code fed} runs (on any thread) when
   * the budget it waits for has room, for the reader to call {@link #fed}.
   */
  boolean pauseWhileSpent(boolean midRecord, Runnable fed) {
    // The client's own share first: it frees as that client's records are done, and once fed,
    // a connection still short of the server's budget waits for that next. One connection of
    // the client, its finisher, is not stopped by a spent share: the client's connections, each
    // holding part of a record, would otherwise wait for each other, and a lone record larger
    // than the share for itself. It stops, though, where the whole budget is spent, counting
    // what it holds beyond the share, which the other clients' connections do not count.
    boolean beyondShare = false;
    ByteBudget spent = null;
    if (midRecord) {
      beyondShare = share != null && share.spent();
      if (beyondShare && !share.mayFinish(this)) {
        spent = share;
      } else if (budget.stops(beyondShare)) {
        spent = budget;
      }
      finishing |= beyondShare && spent != share;
    } else if (finishing) {
      finishing = false;
      share.finished(this);
    }
    boolean starve = spent != null;
    if (starve == starved) {
      return false;
    }
    starved = starve;
    if (starve) {
      spent.await(fed, beyondShare);
    }
    return true;
  }

  /** The budget it waited for has room: true if it was waiting. */
  boolean fed() {
    boolean was = starved;
    starved = false;
    return was;
  }

  /** False while the connection waits for a budget. */
  boolean mayRead() {
    return !starved;
  }

  /** The connection is gone: what it held is given back, and its share left. */
  void leave() {
    budget.adjust(-held);
    held = 0;
    if (share != null) {
      if (finishing) {
        finishing = false;
        share.finished(this);
      }
      share.adjust(-heldInShare);
      budget.leave(client);
      share = null;
    }
    heldInShare = 0;
  }
}
