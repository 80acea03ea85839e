package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.directory.zookeeper.Ensemble.awaitTrue;
import static org.onyxrpc.directory.zookeeper.Ensemble.sees;
import static org.onyxrpc.directory.zookeeper.Ensemble.wildcard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.state.ConnectionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.StoreState;

/**
 * Three hosts full of IPv6 entries (4096 each, as many as a host keeps): the names of their
 * znodes together take 1.6 MB, more than ZooKeeper sends in one reply, so no directory may ask
 * for them in one list (it did: every directory of the ensemble then lost its connection at
 * each read, for ever).
 */
class ManyHostsTest {
  @RegisterExtension final Ensemble ensemble = new Ensemble();

  @Test
  void threeFullHostsAreReadWithoutOverflowingAReply() throws Exception {
    CuratorFramework writer = ensemble.curator();
    assertTrue(writer.blockUntilConnected(30, java.util.concurrent.TimeUnit.SECONDS));
    for (int h = 0; h < 3; h++) {
      String host = "2001:db8:1234:5678:9abc:def0:1234:56" + (10 + h);
      List<CuratorOp> ops = new ArrayList<>();
      writer.create().creatingParentsIfNeeded().forPath(Ensemble.BASE + "/" + StoredEntry.hostNode(host));
      for (int p = 0; p < ZooKeeperDirectoryStore.MAX_ENTRIES; p++) {
        String address = host + "." + (p >> 8) + "." + (p & 255);
        ServiceInstance i = new ServiceInstance("org.onyxrpc.test.Crowd", Ensemble.PROGRAM, 1, "tcp6", address, "0");
        ops.add(writer.transactionOp().create().forPath(Ensemble.BASE + "/" + StoredEntry.nodeName(host, i.key()),
            new StoredEntry(host, new Registration(i, Registration.PERMANENT), address).encode()));
        if (ops.size() == 512) {
          writer.transaction().forOperations(ops);
          ops.clear();
        }
      }
    }

    CuratorFramework curatorA = ensemble.curator();
    java.util.concurrent.CountDownLatch suspended = Ensemble.on(curatorA, ConnectionState.SUSPENDED);
    LocalDirectory a = ensemble.directory(curatorA, Hosts.A);
    LocalDirectory b = ensemble.directory(ensemble.curator(), Hosts.B);
    b.register(wildcard(2000), Duration.ofMinutes(5));
    awaitTrue(() -> sees(a, 2000) && a.lookup("org.onyxrpc.test.Crowd").size() == 3 * ZooKeeperDirectoryStore.MAX_ENTRIES);
    ZooKeeperDirectoryStore storeA = (ZooKeeperDirectoryStore) a.store();
    long refreshes = storeA.refreshes();
    awaitTrue(() -> storeA.refreshes() > refreshes + 1);
    assertEquals(StoreState.CURRENT, storeA.state());
    assertEquals(1, suspended.getCount(), "the connection held");
  }
}
