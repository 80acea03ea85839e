package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.directory.zookeeper.Ensemble.awaitTrue;
import static org.onyxrpc.directory.zookeeper.Ensemble.sees;
import static org.onyxrpc.directory.zookeeper.Ensemble.stored;
import static org.onyxrpc.directory.zookeeper.Ensemble.wildcard;

import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.StoreState;
import org.onyxrpc.testing.FakeClock;

/**
 * Leases over ZooKeeper on fake clocks: one that ends while ZooKeeper is unreachable, and a
 * host's clock that jumps. The host that registered an entry ends it, by its own clock.
 */
class LeasesTest {
  @RegisterExtension final Ensemble ensemble = new Ensemble();

  @Test
  void leaseEndingWhileZooKeeperIsUnreachableIsNeverServedAndIsGoneWhenItIsBack() throws Exception {
    FakeClock clock = new FakeClock(); // the two hosts' clocks agree
    LocalDirectory a = ensemble.directory(ensemble.curator(), Hosts.A, clock);
    LocalDirectory b = ensemble.directory(ensemble.curator(), Hosts.B, clock);
    a.register(wildcard(1000), Duration.ofMinutes(1));
    a.register(wildcard(1001), Duration.ofHours(1));
    awaitTrue(() -> sees(b, 1000) && sees(b, 1001));
    CuratorFramework reader = ensemble.curator();
    long longLease = stored(reader, Hosts.A, wildcard(1001), new Stat()).registration().expiresAtMillis();

    ensemble.zookeeper.stop();
    awaitTrue(() -> a.store().state() == StoreState.STALE && b.store().state() == StoreState.STALE);
    clock.advance(Duration.ofMinutes(2));
    assertFalse(sees(a, 1000) || sees(b, 1000), "an ended lease is never served, known or not");
    assertTrue(sees(a, 1001) && sees(b, 1001));
    ZooKeeperDirectoryStore storeA = (ZooKeeperDirectoryStore) a.store();
    awaitTrue(() -> storeA.listLocal(0).size() == 1); // A's sweep ended it, ZooKeeper or not

    ensemble.zookeeper.restart();
    awaitTrue(() -> a.store().state() == StoreState.CURRENT && b.store().state() == StoreState.CURRENT
        && stored(reader, Hosts.A, wildcard(1000), new Stat()) == null
        && stored(reader, Hosts.A, wildcard(1001), new Stat()) != null);
    assertEquals(longLease, stored(reader, Hosts.A, wildcard(1001), new Stat()).registration().expiresAtMillis());
    assertFalse(sees(b, 1000));
  }

  @Test
  void aClockJumpOnTheRegisteringHostEndsItsLeasesThereAndForEveryone() throws Exception {
    FakeClock clockA = new FakeClock();
    FakeClock clockB = new FakeClock();
    LocalDirectory a = ensemble.directory(ensemble.curator(), Hosts.A, clockA);
    LocalDirectory b = ensemble.directory(ensemble.curator(), Hosts.B, clockB);
    a.register(wildcard(1000), Duration.ofMinutes(1));
    a.register(wildcard(1001), Duration.ofHours(1));
    awaitTrue(() -> sees(b, 1000) && sees(b, 1001));

    clockA.advance(Duration.ofMinutes(-30)); // back: nothing ends early
    assertTrue(sees(a, 1000) && sees(b, 1000));
    clockA.advance(Duration.ofMinutes(32)); // forward past the short lease
    assertFalse(sees(a, 1000));
    awaitTrue(() -> !sees(b, 1000)); // A removed it, though B's clock says it is live
    assertTrue(sees(b, 1001) && sees(a, 1001));
  }
}
