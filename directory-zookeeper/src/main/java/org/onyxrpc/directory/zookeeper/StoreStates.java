package org.onyxrpc.directory.zookeeper;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.directory.StoreState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StoreState} of a {@link ZooKeeperDirectoryStore}, and its one log line per change:
 * STARTING until ZooKeeper is first reached, CURRENT while reads succeed, STALE while ZooKeeper
 * is unreachable or the other hosts cannot be read, LOCAL_ONLY once the last read is older than
 * the store's bound ({@link SnapshotAge}). Changed by the store's refresher and by Curator's
 * connection events; read by any thread.
 */
final class StoreStates {
  /** The store's logger: these lines are the store's, as they were before this class. */
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperDirectoryStore.class);

  private final SnapshotAge snapshotAge;
  /** What the log lines call the store (its toString). */
  private final Object store;
  private final CountDownLatch reached = new CountDownLatch(1);
  private volatile StoreState state = StoreState.STARTING;

  StoreStates(SnapshotAge snapshotAge, Object store) {
    this.snapshotAge = snapshotAge;
    this.store = store;
  }

  /** The state as set, LOCAL_ONLY once the other directories' entries are too old to serve. */
  StoreState state() {
    StoreState s = state;
    return s != StoreState.STARTING && othersTooOld() ? StoreState.LOCAL_ONLY : s;
  }

  /** True until ZooKeeper has been reached once (or its hosts found unreadable). */
  boolean starting() {
    return state == StoreState.STARTING;
  }

  /** True if the other directories' entries were read too long ago to be served; said once per outage. */
  boolean othersTooOld() {
    return snapshotAge.tooOld(() -> LOG.warn("ZooKeeper unreachable for over {} ms: {} serves only this"
        + " host's entries; a look-up that finds none of them fails rather than answer that nothing is"
        + " registered", TimeUnit.NANOSECONDS.toMillis(snapshotAge.maxStaleNanos()), store));
  }

  /** Waits until ZooKeeper has been reached once; true if it was within {@code timeout}. */
  boolean awaitReached(Duration timeout) throws InterruptedException {
    return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The time a read begins, to give {@link #read} once it succeeded. */
  long readBegins() {
    return snapshotAge.now();
  }

  /** A read begun at {@code started} succeeded: CURRENT, said when it was not. */
  void read(long started, int ownEntries, int otherEntries) {
    snapshotAge.readBegan(started);
    if (state != StoreState.CURRENT) {
      LOG.info("ZooKeeper reached{}: {} is current, {} entries here, {} of other directories",
          state == StoreState.STALE ? " again" : "", store, ownEntries, otherEntries);
      state = StoreState.CURRENT;
      reached.countDown();
    }
  }

  /** ZooKeeper cannot be reached ({@code why}): STALE, said when it was CURRENT. */
  void stale(String why, int otherEntries) {
    if (state == StoreState.CURRENT) {
      state = StoreState.STALE;
      LOG.warn("ZooKeeper unreachable ({}): {} answers from its last known state, {} entries of other directories",
          why, store, otherEntries);
    }
  }

  /**
   * ZooKeeper answers, and took this host's entries, but the other hosts cannot be read (garbage
   * under the base path): answers come from what was read before, as in an outage, and nothing is
   * to be written again. A store that never read them serves this host's alone (LOCAL_ONLY), where
   * it stayed STARTING and refused every registration.
   */
  void unreadable(HostsReader.HostsUnreadable e, int otherEntries) {
    StoreState was = state;
    if (was == StoreState.STALE) {
      return; // said when it began
    }
    state = StoreState.STALE;
    LOG.warn("ZooKeeper reached, but {}: {} writes this host's entries, and answers from its last known state,"
        + " {} entries of other directories", e.getMessage(), store, otherEntries);
    if (was == StoreState.STARTING) {
      reached.countDown();
    }
  }
}
