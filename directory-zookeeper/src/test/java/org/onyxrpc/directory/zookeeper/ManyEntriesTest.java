package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.directory.zookeeper.Ensemble.awaitTrue;
import static org.onyxrpc.directory.zookeeper.Ensemble.sees;
import static org.onyxrpc.directory.zookeeper.Ensemble.wildcard;

import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.rpc.RpcException;

/**
 * A host that registers as many entries as a store may keep, and names and owners at their
 * bounds: the host is refused beyond its bound, every other host still registers its own.
 */
class ManyEntriesTest {
  private static final int MAX = 8;
  @RegisterExtension final Ensemble ensemble = new Ensemble();

  private LocalDirectory directory(CuratorFramework c, org.onyxrpc.directory.HostIdentity host) throws Exception {
    ZooKeeperDirectoryStore store = ensemble.closeLater(ZooKeeperDirectoryStore.builder(c).host(host)
        .snapshotTtl(Duration.ofMillis(100)).maxEntries(MAX).build());
    assertTrue(store.awaitReached(Duration.ofSeconds(30)));
    return ensemble.closeLater(new LocalDirectory(store));
  }

  @Test
  void aHostFullOfEntriesLeavesTheOthersRoomForTheirOwn() throws Exception {
    LocalDirectory a = directory(ensemble.curator(), Hosts.A);
    LocalDirectory b = directory(ensemble.curator(), Hosts.B);
    for (int port = 2000; port < 2000 + MAX; port++) {
      b.register(wildcard(port), Duration.ofMinutes(5));
    }
    assertThrows(RpcException.class, () -> b.register(wildcard(3000), Duration.ofMinutes(5)), "B is full");
    awaitTrue(() -> a.lookup(Ensemble.NAME).size() == MAX);

    a.register(wildcard(1000), Duration.ofMinutes(5)); // refused when B's entries counted against A's room
    assertTrue(sees(a, 1000), "this host's own first");
    awaitTrue(() -> sees(b, 1000));
  }

  /**
   * An eighth of a host's places is kept for the superuser's entries, as in the in-memory store:
   * any local process may SET as {@code unknown}, permanently, and one that filled the host's
   * places kept root's services (NFS's mountd, statd) from registering until someone removed its
   * entries. Before, every place went to whoever came first.
   */
  @Test
  void anEighthOfTheHostsPlacesIsKeptForTheSuperuser() throws Exception {
    ZooKeeperDirectoryStore store = ensemble.closeLater(ZooKeeperDirectoryStore.builder(ensemble.curator())
        .host(Hosts.A).snapshotTtl(Duration.ofMillis(100)).maxEntries(MAX).build());
    assertTrue(store.awaitReached(Duration.ofSeconds(30)));
    int taken = 0;
    for (int port = 2000; port < 2000 + MAX; port++) {
      taken += store.put(entry(port, "unknown")) ? 1 : 0;
    }
    assertEquals(MAX - MAX / 8, taken, "every owner but the superuser together");
    assertTrue(store.put(entry(3000, "superuser")), "the superuser's place");
    assertFalse(store.put(entry(3001, "superuser")), "now the host is full");

    // Another owner's entry in the superuser's place counts as another owner's.
    assertFalse(store.put(entry(3000, "unknown")), "the superuser's place is not the others'");
    assertTrue(store.remove(entry(2000, "unknown").instance().key()));
    assertTrue(store.put(entry(2000, "unknown")), "the place freed");
    assertFalse(store.put(entry(2007, "unknown")), "and taken again");
  }

  private static Registration entry(int port, String owner) {
    return new Registration(new ServiceInstance("", Ensemble.PROGRAM, 1, "tcp",
        "127.0.0.1." + (port >> 8) + "." + (port & 0xFF), owner), Registration.PERMANENT);
  }

  @Test
  void namesAndOwnersAtTheirBoundsGoThrough() throws Exception {
    CuratorFramework c = ensemble.curator();
    ZooKeeperDirectoryStore a = ensemble.closeLater(ZooKeeperDirectoryStore.builder(c).host(Hosts.A)
        .snapshotTtl(Duration.ofMillis(100)).build());
    ZooKeeperDirectoryStore b = ensemble.closeLater(ZooKeeperDirectoryStore.builder(ensemble.curator())
        .host(Hosts.B).snapshotTtl(Duration.ofMillis(100)).build());
    assertTrue(a.awaitReached(Duration.ofSeconds(30)) && b.awaitReached(Duration.ofSeconds(30)));
    String name = "n".repeat(ServiceInstance.MAX_NAME - 2) + "é"; // 255 bytes of UTF-8
    String owner = "o".repeat(org.onyxrpc.internal.rpcbind.Rpcb.MAX_OWNER);
    ServiceInstance big = new ServiceInstance(name, Ensemble.PROGRAM, 1, "tcp6", "0:0:0:0:0:ffff:c000:201.255.255", owner);
    ServiceInstance wild = new ServiceInstance(name, Ensemble.PROGRAM, 1, "tcp", "0.0.0.0.255.255", owner);
    assertTrue(a.put(new Registration(big, Registration.PERMANENT)));
    assertTrue(a.put(new Registration(wild, Registration.PERMANENT)));
    awaitTrue(() -> b.list(0).size() == 2);
    assertEquals(java.util.Set.of(name), b.list(0).stream().map(r -> r.instance().name())
        .collect(java.util.stream.Collectors.toSet()));
    assertFalse(b.list(0).stream().anyMatch(r -> r.instance().address().startsWith("0.0.0.0")),
        "the wildcard is given to other hosts as A's address");
  }
}
