package org.onyxrpc.server;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bytes the server may hold across all connections: of records that arrive or wait for a call
 * slot (one budget), or of the decoded arguments of calls in flight (another). A connection charges what it holds after each read and gives it back as records
 * are processed; one that holds part of a record while the budget is spent stops reading (TCP
 * then pushes back on its sender) and is woken when bytes are given back.
 *
 * <p>Records are also charged to their client's {@linkplain #join share}. One connection of a
 * client whose share is spent, its {@linkplain #mayFinish finisher}, reads on to the end of its
 * record (else the client's connections, each holding part of one, would all wait for each
 * other), as long as the whole budget has room; what the shares hold beyond their size is
 * {@linkplain #stops lent}, and does not stop other clients' connections.
 */
final class ByteBudget {
  private final long maxBytes;
  private final AtomicLong held = new AtomicLong();
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
  private final Map<Object, Share> shares = new ConcurrentHashMap<>();
  private final long shareBytes;
  private final ByteBudget whole; // of a client's share: the budget it is a share of; else null
  private final AtomicLong lent = new AtomicLong(); // held by shares beyond their size
  private final AtomicReference<Object> finisher = new AtomicReference<>(); // a share's
  // Drops of buffers kept between records (tryKeep), run before a connection waits: at most one
  // a connection (its own flag), each harmless once its buffer is gone.
  private final Queue<Runnable> keptDrops = new ConcurrentLinkedQueue<>();

  /** A budget whose clients' shares are half of it. */
  ByteBudget(long maxBytes) {
    this(maxBytes, maxBytes / 2);
  }

  ByteBudget(long maxBytes, long shareBytes) {
    this(maxBytes, shareBytes, null);
  }

  private ByteBudget(long maxBytes, long shareBytes, ByteBudget whole) {
    this.maxBytes = maxBytes;
    this.shareBytes = Math.max(1, shareBytes);
    this.whole = whole;
  }

  /**
   * The share of this budget held by the connections of {@code client} (a {@code ClientAddress},
   * or a Unix-domain peer's user), counting one more of them (half of the budget unless built with
   * another share). Each {@code
   * join} is matched by a {@link #leave} when its connection is gone and has given back what it
   * charged to the share. Null for a null client (in-process), which has no share of its own.
   */
  ByteBudget join(Object client) {
    if (client == null) {
      return null;
    }
    return shares.compute(client, (k, share) -> {
      Share counted = share == null ? new Share(shareBytes, this) : share;
      counted.connections++;
      return counted;
    }).budget;
  }

  /** One connection of {@code client} is gone: its share is forgotten with the last of them. */
  void leave(Object client) {
    if (client != null) {
      shares.computeIfPresent(client, (k, share) -> --share.connections == 0 ? null : share);
    }
  }

  /** One client's share and how many connections use it; changed only in the map's compute. */
  private static final class Share {
    final ByteBudget budget;
    int connections;

    Share(long maxBytes, ByteBudget whole) {
      this.budget = new ByteBudget(maxBytes, maxBytes / 2, whole);
    }
  }

  /**
   * Adds {@code delta} (negative to give back); wakes the waiting when there is room again, or
   * may be for some (while bytes are lent: see {@link #stops}). Returns the bytes held just after
   * (a second read could see another thread's change already).
   */
  long adjust(long delta) {
    long now = held.addAndGet(delta);
    if (whole != null) {
      long beyond = Math.max(0, now - maxBytes) - Math.max(0, now - delta - maxBytes);
      if (beyond != 0) {
        whole.lend(beyond);
      }
    }
    if (delta < 0 && (now < maxBytes || lent.get() > 0)) {
      wakeAll();
    }
    return now;
  }

  /**
   * Adds {@code delta} (positive) unless the budget is spent already: the bytes held just after
   * if added, else -1. So it is passed by at most one charge however many threads charge at
   * once. Not for a client's share.
   */
  long tryAdd(long delta) {
    long now;
    do {
      now = held.get();
      if (now >= maxBytes) {
        return -1;
      }
    } while (!held.compareAndSet(now, now + delta));
    return now + delta;
  }

  /**
   * Adds {@code delta} (positive) if the budget then holds no more than half its size: true if
   * added. For a buffer kept between records, which so never takes the half of the budget that
   * records arriving may need. Not for a client's share.
   */
  boolean tryKeep(long delta) {
    long now;
    do {
      now = held.get();
      if (now + delta > maxBytes / 2) {
        return false;
      }
    } while (!held.compareAndSet(now, now + delta));
    return true;
  }

  /** Runs {@code drop} before the next connection waits for this budget (see {@link #tryKeep}). */
  void dropKeptBeforeWaiting(Runnable drop) {
    keptDrops.add(drop);
  }

  /** {@code drop}'s connection is gone: not kept queued (the queue holds live ones alone). */
  void forgetKeptDrop(Runnable drop) {
    keptDrops.remove(drop);
  }

  private void lend(long delta) {
    lent.addAndGet(delta);
    if (delta < 0) {
      wakeAll();
    }
  }

  private void wakeAll() {
    Runnable wake;
    while ((wake = waiting.poll()) != null) {
      wake.run();
    }
  }

  /**
   * True if {@code reader} may read on to the end of the record it holds part of although this
   * share is spent: it is the finisher, the first to ask while there is none. Given up with
   * {@link #finished}.
   */
  boolean mayFinish(Object reader) {
    Object now = finisher.get();
    return now == reader || now == null && finisher.compareAndSet(null, reader);
  }

  /** {@code reader}'s record ended, or it is gone: if it was the finisher, another may be. */
  void finished(Object reader) {
    if (finisher.get() == reader && finisher.compareAndSet(reader, null)) {
      wakeAll();
    }
  }

  /**
   * True if a connection holding part of a record must wait: for a share, while it is spent and
   * has a finisher (another: its own finisher does not ask); for the whole budget, while it is
   * spent, not counting what the shares hold beyond their size unless {@code beyondShare} (the
   * connection is its client's finisher, holding more than the share). So a client that reads
   * on beyond its share spends no more of the budget than the others leave, and never what
   * they need to be read.
   */
  boolean stops(boolean beyondShare) {
    if (whole != null) {
      return spent() && finisher.get() != null;
    }
    return held.get() - (beyondShare ? 0 : lent.get()) >= maxBytes;
  }

  /** True when the budget is spent. */
  boolean spent() {
    return held.get() >= maxBytes;
  }

  /**
   * Runs {@code wake} once bytes are given back or a finisher is done (at once if by then it
   * {@linkplain #stops no longer stops} a connection that is {@code beyondShare}).
   */
  void await(Runnable wake, boolean beyondShare) {
    Runnable drop;
    while ((drop = keptDrops.poll()) != null) {
      drop.run(); // a buffer kept for later gives its room to a record arriving now
    }
    waiting.add(wake);
    if (!stops(beyondShare) && waiting.remove(wake)) {
      wake.run();
    }
  }

  /** Bytes left before the budget is spent (negative when over). */
  long room() {
    return maxBytes - held.get();
  }

  /** Clients with a share of this budget now (for tests). */
  int shares() {
    return shares.size();
  }

  long held() {
    return held.get();
  }
}
