package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.StoreState;

/**
 * The ensemble restarted with its data, and rebuilt empty (new machines, a wiped data
 * directory): every host's entries reappear, with the leases they had, written by their
 * directories without waiting for the servers' renewals.
 */
class EnsembleRestartTest {
  @RegisterExtension final Ensemble ensemble = new Ensemble();

  @Test
  void ensembleRestartedWithItsData() throws Exception {
    comesBack(false);
  }

  @Test
  void ensembleBackEmpty() throws Exception {
    comesBack(true);
  }

  private void comesBack(boolean empty) throws Exception {
    CuratorFramework curatorA = ensemble.curator();
    LocalDirectory a = ensemble.directory(curatorA, Hosts.A);
    LocalDirectory b = ensemble.directory(ensemble.curator(), Hosts.B);
    a.register(wildcard(1000), Duration.ofMinutes(5));
    b.register(wildcard(2000), Duration.ofMinutes(5));
    awaitTrue(() -> sees(a, 2000) && sees(b, 1000));
    CuratorFramework reader = ensemble.curator();
    long lease = stored(reader, Hosts.A, wildcard(1000), new Stat()).registration().expiresAtMillis();

    CountDownLatch suspended = Ensemble.on(curatorA, ConnectionState.SUSPENDED);
    long down = System.nanoTime();
    if (empty) {
      ensemble.replaceEmpty();
    } else {
      ensemble.zookeeper.restart();
    }
    assertTrue(suspended.await(60, TimeUnit.SECONDS) || !empty, "A noticed");
    awaitTrue(() -> sees(a, 2000) && sees(b, 1000) && a.store().state() == StoreState.CURRENT
        && b.store().state() == StoreState.CURRENT && stored(reader, Hosts.A, wildcard(1000), new Stat()) != null
        && stored(reader, Hosts.B, wildcard(2000), new Stat()) != null);
    System.out.printf("MEASURED ensemble %s: both hosts' entries back and both current %d ms after it went down%n",
        empty ? "back empty" : "restarted with its data", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down));
    assertEquals(lease, stored(reader, Hosts.A, wildcard(1000), new Stat()).registration().expiresAtMillis());
  }
}
