package org.onyxrpc.directory.rpcbind;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The places of one local socket relay: {@link #MAX_CONNECTIONS} connections at once, {@link
 * #MAX_CONNECTIONS_PER_UID} of one uid, and the last eighth kept for the superuser (uid 0), as
 * the directory's store keeps an eighth of its entries: system daemons (NFS's mountd and statd)
 * register there as root, and other users together must not keep them out.
 */
final class RelaySlots {
  /** Local connections held at once. */
  static final int MAX_CONNECTIONS = 256;
  /**
   * Local connections one uid holds at once: half, so that a user who opens and holds them all
   * (each lives until the directory's idle timeout) leaves room for other users' servers, which
   * can register nowhere else.
   */
  static final int MAX_CONNECTIONS_PER_UID = MAX_CONNECTIONS / 2;
  /** Places for connections not root's: all but an eighth. */
  static final int MAX_CONNECTIONS_NOT_ROOT = MAX_CONNECTIONS - MAX_CONNECTIONS / 8;

  private static final int ROOT = 0;

  private final AtomicInteger open = new AtomicInteger();
  /** Connections not root's, which may hold all places but root's eighth. */
  private final AtomicInteger notRoot = new AtomicInteger();
  private final Map<Integer, Integer> byUid = new ConcurrentHashMap<>();

  /** Takes a place for a connection of {@code uid}; false, taking none, if there is none left. */
  boolean take(int uid) {
    if (open.incrementAndGet() > MAX_CONNECTIONS) {
      open.decrementAndGet();
      return false;
    }
    if (uid != ROOT && notRoot.incrementAndGet() > MAX_CONNECTIONS_NOT_ROOT) {
      notRoot.decrementAndGet();
      open.decrementAndGet();
      return false;
    }
    if (byUid.merge(uid, 1, Integer::sum) > MAX_CONNECTIONS_PER_UID) {
      release(uid);
      return false;
    }
    return true;
  }

  /** Gives back a place {@link #take} gave {@code uid}. */
  void release(int uid) {
    open.decrementAndGet();
    if (uid != ROOT) {
      notRoot.decrementAndGet();
    }
    byUid.computeIfPresent(uid, (u, n) -> n > 1 ? n - 1 : null);
  }
}
