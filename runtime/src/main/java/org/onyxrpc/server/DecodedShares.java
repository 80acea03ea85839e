package org.onyxrpc.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The decoded arguments of calls in flight per client address (a {@code ClientAddress}, or a
 * Unix-domain peer's user): once half of the server's budget for them is held, a call is held to
 * what is left of its address's share, a quarter of the budget. Only calls that come while half
 * is held are charged to a share, so below half nothing is tracked per address; an address thus
 * holds no more than three quarters (and the call that passed half), and leaves the rest to others.
 *
 * <p>A call is charged when it is handed over and given back when it finishes or is dropped,
 * whether or not its connection is still open: an address is forgotten when its last charged call
 * is over, not when its connections close, so a call that outlives its connection still counts,
 * and nothing is left behind. An entry is changed only in the map's compute for its key.
 */
final class DecodedShares {
  private final long crowdedRoom;
  private final long shareBytes;
  private final Map<Object, Long> held = new ConcurrentHashMap<>();

  /** Shares of a budget of {@code maxBytes} for the decoded arguments of calls in flight. */
  DecodedShares(long maxBytes) {
    this.crowdedRoom = maxBytes - maxBytes / 2;
    this.shareBytes = maxBytes / 4;
  }

  /** True if a call that comes when {@code room} is left of the whole budget is held to its share. */
  boolean crowded(long room) {
    return room <= crowdedRoom;
  }

  /** Bytes {@code client}'s calls may still be charged before its share is spent (negative when over). */
  long room(Object client) {
    return shareBytes - held.getOrDefault(client, 0L);
  }

  /** Charges {@code bytes}, a call's arguments, to {@code client}'s share. */
  void charge(Object client, long bytes) {
    held.merge(client, bytes, Long::sum);
  }

  /** Gives back what {@link #charge} charged for one call; the address goes with its last call. */
  void giveBack(Object client, long bytes) {
    held.computeIfPresent(client, (k, now) -> now == bytes ? null : now - bytes);
  }

  /** What each address with charged calls in flight holds (a copy, for tests). */
  Map<Object, Long> held() {
    return Map.copyOf(held);
  }
}
