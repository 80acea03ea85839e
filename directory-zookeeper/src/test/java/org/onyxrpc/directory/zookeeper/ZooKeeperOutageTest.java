package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryForever;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.StoreState;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * ZooKeeper stopped and restarted under two directories: they answer from their last known
 * state meanwhile, keep what is registered, and write their host's entries again when it is
 * back, within the old session or after it expired. Recovery times are printed, not asserted.
 */
class ZooKeeperOutageTest {
  private static final String NAME = "org.onyxrpc.test.Outage";
  private static final int PROGRAM = 0x20000997;
  /** Short ticks, so that a session of 2 s is allowed and an outage can outlast it quickly. */
  private static final int TICK_MILLIS = 100;
  private static final int SESSION_MILLIS = 2_000;

  private TestingServer zookeeper;
  private final List<AutoCloseable> toClose = new java.util.ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    if (zookeeper != null) {
      zookeeper.close();
    }
  }

  private TestingServer zookeeper(boolean start) throws Exception {
    InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MILLIS, -1);
    return new TestingServer(spec, start);
  }

  private CuratorFramework curator() {
    CuratorFramework c = CuratorFrameworkFactory.builder().connectString(zookeeper.getConnectString())
        .sessionTimeoutMs(SESSION_MILLIS).connectionTimeoutMs(1_000).retryPolicy(new RetryForever(100)).build();
    c.start();
    toClose.add(c);
    return c;
  }

  private LocalDirectory directory(CuratorFramework c, org.onyxrpc.directory.HostIdentity host) throws Exception {
    ZooKeeperDirectoryStore store = ZooKeeperDirectoryStore.builder(c).host(host)
        .snapshotTtl(Duration.ofMillis(100)).build();
    toClose.add(store);
    LocalDirectory directory = new LocalDirectory(store);
    toClose.add(directory);
    return directory;
  }

  private static ServiceInstance wildcard(int port) {
    return new ServiceInstance(NAME, PROGRAM, 1, "tcp", "0.0.0.0." + (port >> 8) + "." + (port & 0xFF), "0");
  }

  private static boolean sees(LocalDirectory d, int port) {
    return d.lookup(NAME).stream().anyMatch(i -> i.socketAddress().getPort() == port);
  }

  @Test
  void outageShorterThanTheSessionIsServedFromTheLastKnownState() throws Exception {
    zookeeper = zookeeper(true);
    CuratorFramework curatorA = curator();
    LocalDirectory a = directory(curatorA, Hosts.A);
    LocalDirectory b = directory(curator(), Hosts.B);
    awaitTrue(() -> a.store().state() == StoreState.CURRENT && b.store().state() == StoreState.CURRENT);
    a.register(wildcard(1000), Duration.ofMinutes(5));
    awaitTrue(() -> sees(b, 1000));

    CountDownLatch suspended = new CountDownLatch(1);
    curatorA.getConnectionStateListenable().addListener((c, s) -> {
      if (s == ConnectionState.SUSPENDED) {
        suspended.countDown();
      }
    });
    zookeeper.stop();
    assertTrue(suspended.await(30, TimeUnit.SECONDS));
    awaitTrue(() -> a.store().state() == StoreState.STALE && b.store().state() == StoreState.STALE);
    long before = System.nanoTime();
    assertTrue(sees(b, 1000), "B answers from its last known state");
    assertTrue(sees(a, 1000));
    a.register(wildcard(1001), Duration.ofMinutes(5)); // kept, written when ZooKeeper is back
    assertTrue(sees(a, 1001));
    System.out.printf("MEASURED look-ups and a registration during the outage took %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before));

    long restarted = System.nanoTime();
    zookeeper.restart();
    awaitTrue(() -> sees(b, 1001) && sees(b, 1000) && b.store().state() == StoreState.CURRENT);
    System.out.printf("MEASURED short outage: B current and sees what A registered during it %d ms after ZooKeeper restarted%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
  }

  @Test
  void outageLongerThanTheSessionEndsWithTheDirectorysEntriesWrittenAgain() throws Exception {
    zookeeper = zookeeper(true);
    CuratorFramework curatorA = curator();
    LocalDirectory a = directory(curatorA, Hosts.A);
    LocalDirectory b = directory(curator(), Hosts.B);
    awaitTrue(() -> a.store().state() == StoreState.CURRENT && b.store().state() == StoreState.CURRENT);
    DirectoryServer serverA = DirectoryServer.builder().bind(InetAddress.getByName("0.0.0.0"), 0).directory(a)
        .build().start(); // binds every interface: its own entries are visible to B
    toClose.add(serverA);
    a.register(wildcard(2000), Duration.ofHours(1));
    awaitTrue(() -> sees(b, 2000) && !b.lookup(Names.PROGRAM, Names.VERSION).isEmpty());
    long oldSession = curatorA.getZookeeperClient().getZooKeeper().getSessionId();

    CountDownLatch lost = new CountDownLatch(1);
    curatorA.getConnectionStateListenable().addListener((c, s) -> {
      if (s == ConnectionState.LOST) {
        lost.countDown();
      }
    });
    zookeeper.stop();
    assertTrue(lost.await(60, TimeUnit.SECONDS), "the session outlived by the outage");
    assertTrue(sees(b, 2000) && sees(a, 2000), "both answer from the last known state");

    long restarted = System.nanoTime();
    zookeeper.restart();
    // Every entry of host A, the directory's own included, is written again under the new
    // session: the old one's expiry on the server (restored by the restart) takes none of them.
    awaitTrue(() -> {
      long session = session(curatorA);
      List<Long> owners = hostAOwners(curatorA);
      return session != oldSession && owners.size() == a.table().local().size()
          && owners.stream().allMatch(o -> o == session);
    });
    long rewritten = System.nanoTime();
    awaitTrue(() -> sees(b, 2000) && !b.lookup(Names.PROGRAM, Names.VERSION).isEmpty()
        && b.store().state() == StoreState.CURRENT);
    System.out.printf("MEASURED long outage: A's %d entries written again under a new session %d ms after ZooKeeper"
        + " restarted, B current and seeing them after %d ms%n", a.table().local().size(),
        TimeUnit.NANOSECONDS.toMillis(rewritten - restarted),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
  }

  private static long session(CuratorFramework c) {
    try {
      return c.getZookeeperClient().getZooKeeper().getSessionId();
    } catch (Exception e) {
      return 0;
    }
  }

  private static List<Long> hostAOwners(CuratorFramework c) {
    try {
      List<Long> owners = new java.util.ArrayList<>();
      String hostA = "/onyx/directory/" + StoredEntry.hostNode(Hosts.A.id());
      for (String child : c.getChildren().forPath(hostA)) {
        Stat stat = stat(c, hostA + "/" + child);
        owners.add(stat == null ? -1L : stat.getEphemeralOwner());
      }
      return owners;
    } catch (Exception e) {
      return List.of(-1L);
    }
  }

  @Test
  void unreachableAtStartRefusesUntilReached() throws Exception {
    zookeeper = zookeeper(false);
    CuratorFramework curatorA = curator();
    LocalDirectory a = directory(curatorA, Hosts.A);
    ZooKeeperDirectoryStore store = (ZooKeeperDirectoryStore) a.store();
    assertEquals(StoreState.STARTING, store.state());
    RpcException refused = assertThrows(RpcException.class, () -> a.lookup(NAME));
    assertEquals(RpcStatus.SYSTEM_ERR, refused.status());
    assertThrows(RpcException.class, () -> a.register(wildcard(3000), Duration.ofMinutes(1)));

    DirectoryServer server = DirectoryServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(a)
        .build().start();
    toClose.add(server);
    RemoteDirectory remote = RemoteDirectory.at("127.0.0.1", server.port());
    toClose.add(remote);
    RpcException overTheWire = assertThrows(RpcException.class, () -> remote.lookup(NAME));
    assertEquals(RpcStatus.SYSTEM_ERR, overTheWire.status(), "a look-up is refused, not answered empty");

    long started = System.nanoTime();
    zookeeper.start();
    assertTrue(store.awaitReached(Duration.ofSeconds(30)));
    System.out.printf("MEASURED store unreachable at start: current %d ms after ZooKeeper started%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    a.register(wildcard(3000), Duration.ofMinutes(1));
    assertTrue(sees(a, 3000));
    awaitTrue(() -> !remote.lookup("org.onyxrpc.directory").isEmpty()); // its own entries, registered once reached
  }

  private static Stat stat(CuratorFramework c, String path) {
    try {
      return c.checkExists().forPath(path);
    } catch (Exception e) {
      return null;
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> {
      try {
        return condition.getAsBoolean();
      } catch (RuntimeException e) {
        return false; // not reachable yet
      }
    }, Duration.ofSeconds(60));
  }
}
