package org.onyxrpc.mq.internal.server;

import java.util.HashMap;
import java.util.Map;

/**
 * Something the host has a limited amount of (open handles, bytes of waiting sends), shared out
 * among clients: each client may hold at most {@code perClient} of it and all together at most
 * {@code total}, so that one client that takes all it may leaves the rest to the others. Touched
 * only by the host's owner thread.
 */
final class Shares {
  private final long total;
  private final long perClient;
  private final Map<Object, Long> held = new HashMap<>();
  private long heldTotal;

  Shares(long total, long perClient) {
    this.total = total;
    this.perClient = perClient;
  }

  /** Why a {@link #take} was refused. */
  enum Refusal { CLIENT, TOTAL }

  /** Takes {@code amount} for {@code client}; null if taken, else which limit it would pass. */
  Refusal take(Object client, long amount) {
    long mine = held.getOrDefault(client, 0L);
    if (mine + amount > perClient) {
      return Refusal.CLIENT;
    }
    if (heldTotal + amount > total) {
      return Refusal.TOTAL;
    }
    held.put(client, mine + amount);
    heldTotal += amount;
    return null;
  }

  /** Gives back what {@link #take} took. */
  void give(Object client, long amount) {
    held.computeIfPresent(client, (c, mine) -> mine == amount ? null : mine - amount);
    heldTotal -= amount;
  }

  long held(Object client) {
    return held.getOrDefault(client, 0L);
  }

  long perClient() {
    return perClient;
  }

  long total() {
    return total;
  }
}
