package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.directory.zookeeper.Ensemble.awaitTrue;
import static org.onyxrpc.directory.zookeeper.Ensemble.sees;
import static org.onyxrpc.directory.zookeeper.Ensemble.stored;
import static org.onyxrpc.directory.zookeeper.Ensemble.wildcard;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.StoreState;

/**
 * A host's ZooKeeper session ending (not only its connection): expired by the ensemble, or
 * outlived by a partition of that host alone. Its entries go from the other hosts' answers with
 * the session, and come back, with the leases they had, when the host's new session starts.
 */
class SessionExpiryTest {
  @RegisterExtension final Ensemble ensemble = new Ensemble();

  @Test
  void sessionExpiredByTheEnsembleIsFollowedByTheHostsEntriesWithTheirLeases() throws Exception {
    CuratorFramework curatorA = ensemble.curator();
    CuratorFramework reader = ensemble.curator();
    LocalDirectory a = ensemble.directory(curatorA, Hosts.A);
    LocalDirectory b = ensemble.directory(ensemble.curator(), Hosts.B);
    a.register(wildcard(1000), Duration.ofMinutes(5));
    awaitTrue(() -> sees(b, 1000));
    Stat before = new Stat();
    long lease = stored(reader, Hosts.A, wildcard(1000), before).registration().expiresAtMillis();

    CountDownLatch lost = Ensemble.on(curatorA, ConnectionState.LOST);
    expire(ensemble.zookeeper.getConnectString(), curatorA.getZookeeperClient().getZooKeeper());
    assertTrue(lost.await(60, TimeUnit.SECONDS), "the session ended");
    assertTrue(sees(a, 1000), "A answers from what it knows");

    awaitTrue(() -> {
      Stat now = new Stat();
      StoredEntry e = stored(reader, Hosts.A, wildcard(1000), now);
      return e != null && now.getEphemeralOwner() == session(curatorA) && sees(b, 1000);
    });
    Stat after = new Stat();
    assertEquals(lease, stored(reader, Hosts.A, wildcard(1000), after).registration().expiresAtMillis(),
        "written again with the lease it had, not a new one");
    assertNotEquals(before.getEphemeralOwner(), after.getEphemeralOwner());
    awaitTrue(() -> a.store().state() == StoreState.CURRENT);
  }

  @Test
  void hostPartitionedFromZooKeeperLeavesTheOthersAnswersWithItsSessionAndAnswersFromWhatItKnew()
      throws Exception {
    Partition partition = ensemble.closeLater(new Partition(ensemble.zookeeper.getPort()));
    CuratorFramework curatorA = ensemble.curator(partition.connectString());
    CuratorFramework reader = ensemble.curator();
    LocalDirectory a = ensemble.directory(curatorA, Hosts.A);
    LocalDirectory b = ensemble.directory(ensemble.curator(), Hosts.B);
    a.register(wildcard(1000), Duration.ofMinutes(5)); // one name, a server on each host
    b.register(wildcard(2000), Duration.ofMinutes(5));
    awaitTrue(() -> sees(a, 2000) && sees(b, 1000));
    long lease = stored(reader, Hosts.A, wildcard(1000), new Stat()).registration().expiresAtMillis();

    CountDownLatch lost = Ensemble.on(curatorA, ConnectionState.LOST);
    long cut = System.nanoTime();
    partition.cut();
    awaitTrue(() -> !sees(b, 1000)); // the ensemble ended A's session: its entries went with it
    long gone = System.nanoTime();
    assertTrue(sees(b, 2000));
    assertEquals(StoreState.CURRENT, b.store().state(), "B is not the one cut off");
    assertTrue(lost.await(60, TimeUnit.SECONDS));
    assertEquals(StoreState.STALE, a.store().state(), "A says its answers are the last known");
    assertTrue(sees(a, 1000) && sees(a, 2000), "A answers for itself and from what it knew of B");
    a.register(wildcard(1001), Duration.ofMinutes(5)); // kept until it can be written
    assertTrue(sees(a, 1001));

    partition.heal();
    awaitTrue(() -> sees(b, 1000) && sees(b, 1001) && a.store().state() == StoreState.CURRENT);
    System.out.printf("MEASURED partition: A's entries left B's answers %d ms after the cut (session %d ms),"
        + " back %d ms after the partition healed%n", TimeUnit.NANOSECONDS.toMillis(gone - cut),
        Ensemble.SESSION_MILLIS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - gone));
    assertEquals(lease, stored(reader, Hosts.A, wildcard(1000), new Stat()).registration().expiresAtMillis(),
        "written again with the lease it had");
  }

  @Test
  void registrationsAndLookUpsNeverWaitForASilentZooKeeper() throws Exception {
    Partition partition = ensemble.closeLater(new Partition(ensemble.zookeeper.getPort()));
    LocalDirectory a = ensemble.directory(ensemble.curator(partition.connectString()), Hosts.A);
    LocalDirectory b = ensemble.directory(ensemble.curator(), Hosts.B);
    a.register(wildcard(1000), Duration.ofMinutes(5));
    awaitTrue(() -> sees(b, 1000));

    partition.silence(); // A's writes go unanswered until its client gives the connection up
    java.util.concurrent.ExecutorService caller = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      // A register, then a look-up, as a server and a client of host A would make them meanwhile.
      // A write that waits for ZooKeeper holding the store waits as long as the partition lasts,
      // with a client that retries for ever: neither may wait at all.
      java.util.concurrent.Future<?> registered = caller.submit(() -> a.register(wildcard(1001), Duration.ofMinutes(5)));
      registered.get(30, TimeUnit.SECONDS);
      java.util.concurrent.Future<Boolean> found = caller.submit(() -> sees(a, 1000) && sees(a, 1001));
      assertTrue(found.get(30, TimeUnit.SECONDS), "A answers from what it knows");
    } finally {
      caller.shutdownNow();
    }
    partition.heal();
    awaitTrue(() -> sees(b, 1001) && a.store().state() == StoreState.CURRENT);
  }

  /** Ends a session on the ensemble, as an expiry does: a second handle on it closes it. */
  static void expire(String connectString, ZooKeeper zk) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    Watcher watcher = e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    };
    ZooKeeper same = new ZooKeeper(connectString, Ensemble.SESSION_MILLIS, watcher, zk.getSessionId(),
        zk.getSessionPasswd());
    assertTrue(connected.await(30, TimeUnit.SECONDS));
    same.close();
  }

  private static long session(CuratorFramework c) {
    try {
      return c.getZookeeperClient().getZooKeeper().getSessionId();
    } catch (Exception e) {
      return 0;
    }
  }
}
