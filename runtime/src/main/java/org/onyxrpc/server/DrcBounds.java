package org.onyxrpc.server;

import java.time.Duration;

/**
 * The duplicate request cache's bounds, as {@link RpcServerBuilder#duplicateRequestCache} set
 * them (validated there), or {@link #NONE} for a server that keeps no cache.
 */
record DrcBounds(int maxEntries, long maxBytes, Duration ttl) {
  /** 65,536 entries, 64 MiB, 5 minutes. */
  static final DrcBounds DEFAULT = new DrcBounds(65_536, 64L << 20, Duration.ofMinutes(5));
  /** No cache. */
  static final DrcBounds NONE = new DrcBounds(0, 0, Duration.ZERO);

  /** A new cache within these bounds, or null for {@link #NONE}. */
  DuplicateRequestCache newCache() {
    return maxEntries == 0 ? null : new DuplicateRequestCache(maxEntries, maxBytes, ttl);
  }
}
