package org.onyxrpc.directory;

/** How current the answers of a {@link DirectoryStore} are. */
public enum StoreState {
  /** Not reached yet since start: the store refuses reads and writes (SYSTEM_ERR over the wire). */
  STARTING,
  /** Reached: answers are current, up to the store's refresh interval. */
  CURRENT,
  /**
   * Unreachable after having been reached: answers come from the last known state, and
   * registrations are kept here and written when the store is back. A look-up that finds
   * nothing fails (SYSTEM_ERR over the wire) rather than answer that nothing is registered: what
   * other machines registered meanwhile is not known.
   */
  STALE,
  /**
   * Unreachable for longer than the store's bound on staleness: only this host's own entries,
   * which it keeps itself, are served; other machines' are no longer vouched for. A look-up that
   * finds none of this host's fails (SYSTEM_ERR over the wire), as in {@link #STALE}.
   */
  LOCAL_ONLY
}
