package org.onyxrpc.directory;

/** How current the answers of a {@link DirectoryStore} are. */
public enum StoreState {
  /** Not reached yet since start: the store refuses reads and writes (SYSTEM_ERR over the wire). */
  STARTING,
  /** Reached: answers are current, up to the store's refresh interval. */
  CURRENT,
  /**
   * Unreachable after having been reached: answers come from the last known state, and
   * registrations are kept here and written when the store is back.
   */
  STALE
}
