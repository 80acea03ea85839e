package org.onyxrpc.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The at-most-once calls a connection ran whose replies went out, or are going out, on it: the
 * latest {@link #MAX} of them, the oldest forgotten first. A retransmission of one over the same
 * connection needs no answer of its own, as the reply comes over that connection (see {@link
 * DuplicateRequestCache}).
 *
 * <p>Thread-safe without a lock: every at-most-once reply adds to it, from whichever thread ends
 * the call, while only a retransmission the cache cannot account for (rare) reads it. A ring of
 * slots claimed by an atomic counter costs a reply one increment and one volatile write, where a
 * {@code synchronized} set cost it the connection's monitor, which procedures that watch the
 * connection take too. A reader scans the slots; it sees every key added before whatever made it
 * read (the cache's lock, taken by {@code complete} after {@code replying}).
 */
final class RepliedCalls {
  /**
   * Calls remembered per connection, a power of two (slots are a counter's low bits). A
   * retransmission is only ever behind the latest few of its connection's replies; one older than
   * these is refused "outcome unknown", as before.
   */
  static final int MAX = 64;

  private final AtomicReferenceArray<Object> slots = new AtomicReferenceArray<>(MAX);
  private final AtomicInteger next = new AtomicInteger();

  void add(Object key) {
    // Wraps past Integer.MAX_VALUE to negative numbers, whose low bits go on counting alike.
    slots.set(next.getAndIncrement() & (MAX - 1), key);
  }

  boolean contains(Object key) {
    for (int i = 0; i < MAX; i++) {
      if (key.equals(slots.get(i))) {
        return true;
      }
    }
    return false;
  }
}
