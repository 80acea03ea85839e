package org.onyxrpc.server;

/**
 * The UDP client addresses with no call in flight that {@link UdpEndpoint} keeps, so that the
 * next call from one finds its entry made: a client calling one at a time made and dropped it
 * for every call. At most a fixed count, the oldest pushed out first: the peer chooses its
 * source address, and a flood from forged ones must not grow what the server keeps.
 */
final class IdleSenders {
  private final UdpEndpoint.Sender[] kept;
  private int oldest;
  private int count;

  IdleSenders(int capacity) {
    this.kept = new UdpEndpoint.Sender[capacity];
  }

  /** Keeps {@code sender}; returns the oldest one it pushes out when all are taken, else null. */
  synchronized UdpEndpoint.Sender add(UdpEndpoint.Sender sender) {
    if (count < kept.length) {
      kept[(oldest + count++) % kept.length] = sender;
      return null;
    }
    UdpEndpoint.Sender out = kept[oldest];
    kept[oldest] = sender;
    oldest = (oldest + 1) % kept.length;
    return out;
  }

  /** How many are kept. */
  synchronized int size() {
    return count;
  }
}
