package org.onyxrpc.server;

import java.util.LinkedHashSet;

/**
 * The at-most-once calls a connection ran whose replies went out, or are going out, on it: the
 * latest {@link #MAX} of them, the oldest forgotten first. A retransmission of one over the same
 * connection needs no answer of its own, as the reply comes over that connection (see {@link
 * DuplicateRequestCache}). Not thread-safe: its connection guards it.
 */
final class RepliedCalls {
  /**
   * Calls remembered per connection. A retransmission is only ever behind the latest few of its
   * connection's replies; one older than these is refused "outcome unknown", as before.
   */
  static final int MAX = 64;

  private final LinkedHashSet<Object> keys = new LinkedHashSet<>();

  void add(Object key) {
    if (keys.add(key) && keys.size() > MAX) {
      keys.remove(keys.iterator().next());
    }
  }

  boolean contains(Object key) {
    return keys.contains(key);
  }
}
