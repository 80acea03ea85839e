package org.onyxrpc.server;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes the server may hold across all connections: of records that arrive or wait for a call
 * slot (one budget), or of the decoded arguments of calls in flight (another). A connection charges what it holds after each read and gives it back as records
 * are processed; one that holds part of a record while the budget is spent stops reading (TCP
 * then pushes back on its sender) and is woken when bytes are given back.
 */
final class ByteBudget {
  private final long maxBytes;
  private final AtomicLong held = new AtomicLong();
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
  private final Map<Object, Share> shares = new ConcurrentHashMap<>();
  private final long shareBytes;
  private final boolean share; // wakes its waiting at every return: see ReceiveGuard

  /** A budget whose clients' shares are half of it. */
  ByteBudget(long maxBytes) {
    this(maxBytes, maxBytes / 2);
  }

  ByteBudget(long maxBytes, long shareBytes) {
    this(maxBytes, shareBytes, false);
  }

  private ByteBudget(long maxBytes, long shareBytes, boolean share) {
    this.maxBytes = maxBytes;
    this.shareBytes = Math.max(1, shareBytes);
    this.share = share;
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
      Share counted = share == null ? new Share(shareBytes) : share;
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

    Share(long maxBytes) {
      this.budget = new ByteBudget(maxBytes, maxBytes / 2, true);
    }
  }

  /**
   * Adds {@code delta} (negative to give back); wakes the waiting when there is room again, or,
   * in a client's share, at every return (a connection waits only while others hold part of it).
   */
  void adjust(long delta) {
    long now = held.addAndGet(delta);
    if (delta < 0 && (now < maxBytes || share)) {
      Runnable wake;
      while ((wake = waiting.poll()) != null) {
        wake.run();
      }
    }
  }

  /** True when the budget is spent. */
  boolean spent() {
    return held.get() >= maxBytes;
  }

  /** Runs {@code wake} once bytes are given back (at once if there is room by then). */
  void await(Runnable wake) {
    waiting.add(wake);
    if (!spent() && waiting.remove(wake)) {
      wake.run();
    }
  }

  /** Bytes left before the budget is spent (negative when over). */
  long room() {
    return maxBytes - held.get();
  }

  long held() {
    return held.get();
  }
}
