package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.StoreState;

/**
 * Znodes under the directory's path that no Onyx directory wrote, or that one wrote wrong: each
 * is skipped, the store stays current and serves every real entry beside them.
 */
class GarbageZnodesTest {
  private static final String BASE = "/onyx/directory";
  private static final String NAME = "org.onyxrpc.test.Garbage";
  private static final int PROGRAM = 0x20000995;

  private TestingServer zookeeper;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestingServer(true);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    zookeeper.close();
  }

  private CuratorFramework curator() throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.builder().connectString(zookeeper.getConnectString())
        .sessionTimeoutMs(10_000).connectionTimeoutMs(5_000).retryPolicy(new RetryOneTime(100)).build();
    c.start();
    toClose.add(c);
    assertTrue(c.blockUntilConnected(10, TimeUnit.SECONDS));
    return c;
  }

  private LocalDirectory directory(CuratorFramework c, org.onyxrpc.directory.HostIdentity host) throws Exception {
    ZooKeeperDirectoryStore store = ZooKeeperDirectoryStore.builder(c).host(host).snapshotTtl(Duration.ZERO).build();
    toClose.add(store);
    assertTrue(store.awaitReached(Duration.ofSeconds(20)));
    LocalDirectory directory = new LocalDirectory(store);
    toClose.add(directory);
    return directory;
  }

  private static ServiceInstance instance(String address) {
    return new ServiceInstance(NAME, PROGRAM, 1, "tcp", address, "0");
  }

  private static void persistent(CuratorFramework c, String child, byte[] data) throws Exception {
    String path = BASE + "/" + child;
    String parent = path.substring(0, path.lastIndexOf('/'));
    if (c.checkExists().forPath(parent) == null) {
      c.create().creatingParentsIfNeeded().forPath(parent);
    }
    // The raw client: Curator replaces null data with its default.
    c.getZookeeperClient().getZooKeeper().create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  }

  private static byte[] entry(String host, ServiceInstance instance, String advertised) {
    return new StoredEntry(host, new Registration(instance, Registration.PERMANENT), advertised).encode();
  }

  @Test
  void garbageIsSkippedAndNeverPoisonsLookUps() throws Exception {
    CuratorFramework writer = curator();
    LocalDirectory a = directory(curator(), Hosts.A);
    LocalDirectory b = directory(curator(), Hosts.B);
    ZooKeeperDirectoryStore storeA = (ZooKeeperDirectoryStore) a.store();

    ServiceInstance fine = instance("192.0.2.2.4.1");
    ServiceInstance wildcard = instance("0.0.0.0.4.2");
    persistent(writer, "no-data", null); // hosts without entries: nothing to read, nothing said
    persistent(writer, "text", "hello, directory".getBytes(StandardCharsets.UTF_8));
    persistent(writer, "junk/no-data", null);
    persistent(writer, "junk/empty", new byte[0]);
    persistent(writer, "junk/text", "hello, directory".getBytes(StandardCharsets.UTF_8));
    persistent(writer, StoredEntry.nodeName("host-b", fine.key()), java.util.Arrays.copyOf(
        entry("host-b", fine, fine.address()), 20)); // cut short
    // Decodable, but named for another host or key than it holds: nobody's entry.
    persistent(writer, "host-c/1~1~tcp~x", entry("host-c", instance("192.0.2.3.4.3"), "192.0.2.3.4.3"));
    // Decodable, but the address given to other machines is none they can use.
    persistent(writer, StoredEntry.nodeName("host-d", wildcard.key()), entry("host-d", wildcard, wildcard.address()));
    ServiceInstance bad = instance("192.0.2.5.4.5");
    persistent(writer, StoredEntry.nodeName("host-e", bad.key()), entry("host-e", bad, "not-an-address"));
    byte[] trailing = java.util.Arrays.copyOf(entry("host-f", instance("192.0.2.6.4.6"), "192.0.2.6.4.6"), 200);
    persistent(writer, StoredEntry.nodeName("host-f", instance("192.0.2.6.4.6").key()), trailing);
    persistent(writer, "parent/child", new byte[] {4});
    persistent(writer, "parent/child/grandchild", new byte[] {1, 2, 3});

    b.register(instance("192.0.2.2.7.1"), Duration.ofMinutes(5));
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> a.lookup(NAME).size() == 1, Duration.ofSeconds(20));
    awaitThreeRefreshes(storeA);
    assertEquals(StoreState.CURRENT, storeA.state(), "garbage is no outage");
    assertEquals(List.of("192.0.2.2.7.1"), a.lookup(NAME).stream().map(ServiceInstance::address).toList());
    assertEquals(1, a.lookup(PROGRAM, 1).size());
    assertEquals(9, storeA.skipped(), "every garbage znode is counted, once per read");
  }

  /**
   * Another host's entry whose address for other machines is one no directory advertises: its
   * own loopback or link-local address (HostIdentity.advertise writes "" for those), a group or
   * the broadcast. Served, it sent this machine's callers to a port of this machine, whatever
   * listens there, or a C client's UDP calls to every host of a group; a remote registration of
   * such an address is not stored either (NamesService.fromCaller).
   */
  @Test
  void anAddressForOtherMachinesThatIsNoServersElsewhereIsSkipped() throws Exception {
    CuratorFramework writer = curator();
    LocalDirectory a = directory(curator(), Hosts.A);
    LocalDirectory b = directory(curator(), Hosts.B);
    ZooKeeperDirectoryStore storeA = (ZooKeeperDirectoryStore) a.store();
    List<String> nobodys = List.of("127.0.0.1.0.111", "127.1.2.3.4.8", "0.0.0.0.4.8", "224.0.0.1.4.9",
        "255.255.255.255.4.10", "169.254.1.1.4.11", "::1.4.12", "fe80::1.4.13", "ff02::1.4.14",
        "::ffff:127.0.0.1.4.15");
    int k = 0;
    for (String address : nobodys) {
      // Registered at a real address of its host, advertised at one that is nobody's elsewhere.
      ServiceInstance registered = instance("192.0.2.8.5." + k++);
      persistent(writer, StoredEntry.nodeName("host-h", registered.key()), entry("host-h", registered, address));
    }

    b.register(instance("192.0.2.2.7.1"), Duration.ofMinutes(5));
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> a.lookup(NAME).size() >= 1, Duration.ofSeconds(20));
    awaitThreeRefreshes(storeA);
    assertEquals(StoreState.CURRENT, storeA.state());
    assertEquals(List.of("192.0.2.2.7.1"), a.lookup(NAME).stream().map(ServiceInstance::address).toList());
    assertEquals(1, a.lookup(PROGRAM, 1).size());
    assertEquals(nobodys.size(), storeA.skipped(), "each such entry, once per read");
  }

  @Test
  void znodesOfMoreBytesThanTheLongestEntryAreSkippedUnread() throws Exception {
    String longest = "n".repeat(ServiceInstance.MAX_NAME);
    ServiceInstance widest = new ServiceInstance(longest, PROGRAM, 1, "x".repeat(32), "a".repeat(128), "o".repeat(255));
    assertEquals(StoredEntry.MAX_BYTES, new StoredEntry("h".repeat(128), new Registration(widest, Registration.PERMANENT),
        "b".repeat(128)).encode().length, "the longest entry takes MAX_BYTES");

    CuratorFramework writer = curator();
    LocalDirectory a = directory(curator(), Hosts.A);
    LocalDirectory b = directory(curator(), Hosts.B);
    ZooKeeperDirectoryStore storeA = (ZooKeeperDirectoryStore) a.store();
    // An entry of its host and key, with about a megabyte (ZooKeeper's most) of padding after it.
    ServiceInstance padded = instance("192.0.2.7.4.7");
    byte[] huge = java.util.Arrays.copyOf(entry("host-g", padded, padded.address()), 1_000_000);
    persistent(writer, StoredEntry.nodeName("host-g", padded.key()), huge);
    persistent(writer, "junk/huge", huge);

    b.register(instance("192.0.2.2.7.1"), Duration.ofMinutes(5));
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> a.lookup(NAME).size() == 1, Duration.ofSeconds(20));
    awaitThreeRefreshes(storeA);
    assertEquals(StoreState.CURRENT, storeA.state());
    assertEquals(List.of("192.0.2.2.7.1"), a.lookup(NAME).stream().map(ServiceInstance::address).toList());
    assertEquals(2, storeA.skipped(), "both huge znodes");
  }

  private static boolean exists(CuratorFramework c, String path) {
    try {
      return c.checkExists().forPath(path) != null;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Waits until {@code store} has refreshed three more times. */
  private static void awaitThreeRefreshes(ZooKeeperDirectoryStore store) {
    long refreshes = store.refreshes();
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> store.refreshes() > refreshes + 2, Duration.ofSeconds(20));
  }

  /**
   * Creates {@code count} children of {@code parent} (made if missing), each named by its number
   * and {@code padding} more bytes, in transactions that each fit one request.
   */
  private static void createMany(CuratorFramework c, String parent, int count, int padding) throws Exception {
    if (c.checkExists().forPath(parent) == null) {
      c.create().creatingParentsIfNeeded().forPath(parent);
    }
    List<CuratorOp> ops = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      ops.add(c.transactionOp().create().forPath(parent + "/" + k + "x".repeat(padding), new byte[0]));
      if (ops.size() == 200 || k == count - 1) {
        c.transaction().forOperations(ops);
        ops.clear();
      }
    }
  }

  @Test
  void aHostOfMoreEntriesThanAHostMayRegisterIsSkippedWhole() throws Exception {
    CuratorFramework writer = curator();
    createMany(writer, BASE + "/crowd", ZooKeeperDirectoryStore.MAX_ENTRIES + 1, 0);
    LocalDirectory a = directory(curator(), Hosts.A);
    LocalDirectory b = directory(curator(), Hosts.B);
    b.register(instance("192.0.2.2.7.1"), Duration.ofMinutes(5));
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> a.lookup(NAME).size() == 1, Duration.ofSeconds(20));
    ZooKeeperDirectoryStore storeA = (ZooKeeperDirectoryStore) a.store();
    assertEquals(StoreState.CURRENT, storeA.state());
    assertEquals(1, storeA.skipped(), "the crowded host, as one");
  }

  /**
   * A "host" of fewer children than a host may register, each named with a kilobyte: the list is
   * 1.2 MB, more than a ZooKeeper client takes in one reply (jute.maxbuffer), and asking for it
   * loses the connection ("Packet len 1208578 is out of range!"). Before, every refresh asked
   * again, and a directory started beside it never reached ZooKeeper.
   */
  @Test
  void aHostWhoseListOfChildrenIsTooLongForOneReplyIsSkipped() throws Exception {
    CuratorFramework writer = curator();
    createMany(writer, BASE + "/fat", 1200, 1000);
    LocalDirectory a = directory(curator(), Hosts.A);
    LocalDirectory b = directory(curator(), Hosts.B);
    b.register(instance("192.0.2.2.7.1"), Duration.ofMinutes(5));
    ZooKeeperDirectoryStore storeA = (ZooKeeperDirectoryStore) a.store();
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> a.lookup(NAME).size() == 1, Duration.ofSeconds(20));
    awaitThreeRefreshes(storeA);
    assertEquals(StoreState.CURRENT, storeA.state());
    assertEquals(List.of("192.0.2.2.7.1"), a.lookup(NAME).stream().map(ServiceInstance::address).toList());
    assertEquals(1, storeA.skipped(), "the fat host, as one");
  }

  /**
   * The base path's own list made too long for one reply: a thousand "hosts" named with more than
   * a kilobyte each (1.2 MB). No host can be listed then, but asking for the list again at every
   * refresh lost the connection every time, and a directory started beside it never reached
   * ZooKeeper, so that its registrations failed SYSTEM_ERR 'not reached yet'. Now it is asked for
   * no more until it changes: the stores answer from what they read before, STALE, and write
   * their own entries.
   */
  @Test
  void aBasePathWhoseListOfHostsIsTooLongForOneReplyCostsNoConnectionAtEachRefresh() throws Exception {
    CuratorFramework writer = curator();
    LocalDirectory a = directory(curator(), Hosts.A);
    LocalDirectory b = directory(curator(), Hosts.B);
    b.register(instance("192.0.2.2.7.1"), Duration.ofMinutes(5));
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> a.lookup(NAME).size() == 1, Duration.ofSeconds(20));
    createMany(writer, BASE, 1000, 1200);
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> a.store().state() == StoreState.STALE, Duration.ofSeconds(20));
    assertEquals(List.of("192.0.2.2.7.1"), a.lookup(NAME).stream().map(ServiceInstance::address).toList(),
        "answers from what it knew");

    CuratorFramework curatorC = curator();
    java.util.concurrent.atomic.AtomicInteger losses = new java.util.concurrent.atomic.AtomicInteger();
    curatorC.getConnectionStateListenable().addListener((c, state) -> {
      if (state == org.apache.curator.framework.state.ConnectionState.SUSPENDED) {
        losses.incrementAndGet();
      }
    });
    org.onyxrpc.directory.HostIdentity hostC = org.onyxrpc.directory.HostIdentity.advertising("host-c",
        List.of(java.net.InetAddress.getByName("192.0.2.3")));
    LocalDirectory c = directory(curatorC, hostC); // reached: before, it never was
    ServiceInstance mine = instance("192.0.2.3.7.3");
    c.register(mine, Duration.ofMinutes(5));
    String path = BASE + "/" + StoredEntry.nodeName("host-c", mine.key());
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> exists(writer, path), Duration.ofSeconds(20));
    ZooKeeperDirectoryStore storeC = (ZooKeeperDirectoryStore) c.store();
    assertEquals(StoreState.LOCAL_ONLY, storeC.state(), "no other host's entries were ever read");
    assertEquals(List.of(mine.address()), c.lookup(NAME).stream().map(ServiceInstance::address).toList(),
        "its own entries are served");
    // Two listings lost at its start, and its host's znode changed the base's list: two more
    // (each counted twice here: the test's Curator tries a lost operation once again).
    long reads = storeC.reads();
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> storeC.reads() > reads + 5, Duration.ofSeconds(20));
    int settled = losses.get();
    long later = storeC.reads();
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> storeC.reads() > later + 5, Duration.ofSeconds(20));
    assertEquals(settled, losses.get(), "five more refreshes, no connection lost (" + settled + " before)");
  }

  /**
   * This host's own znode made too long to list (1,200 children named with a kilobyte each):
   * every full write of this host's entries listed it, to delete what was no longer an entry, and
   * lost the connection, so the store never reached ZooKeeper. Its writes now know what they
   * wrote; the read skips the host's list as another host's.
   */
  @Test
  void thisHostsOwnListTooLongForOneReplyLeavesItsWritesWhole() throws Exception {
    CuratorFramework writer = curator();
    String hostPath = BASE + "/" + StoredEntry.hostNode("host-a");
    createMany(writer, hostPath, 1200, 1000);
    CuratorFramework curatorA = curator();
    LocalDirectory a = directory(curatorA, Hosts.A); // reached: before, it never was
    ServiceInstance mine = instance("192.0.2.1.7.1");
    a.register(mine, Duration.ofMinutes(5));
    String path = BASE + "/" + StoredEntry.nodeName("host-a", mine.key());
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> exists(writer, path), Duration.ofSeconds(20));
    ZooKeeperDirectoryStore storeA = (ZooKeeperDirectoryStore) a.store();
    awaitThreeRefreshes(storeA);
    assertEquals(StoreState.CURRENT, storeA.state());
    assertEquals(List.of(mine.address()), a.lookup(NAME).stream().map(ServiceInstance::address).toList());
    assertEquals(curatorA.getZookeeperClient().getZooKeeper().getSessionId(),
        writer.checkExists().forPath(path).getEphemeralOwner(), "this directory's entry");
    a.unregister(mine);
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> !exists(writer, path), Duration.ofSeconds(20));
  }

  @Test
  void moreHostsThanADirectoryReadsLeaveItStaleNotWrong() throws Exception {
    CuratorFramework writer = curator();
    LocalDirectory a = directory(curator(), Hosts.A);
    LocalDirectory b = directory(curator(), Hosts.B);
    b.register(instance("192.0.2.2.7.1"), Duration.ofMinutes(5));
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> a.lookup(NAME).size() == 1, Duration.ofSeconds(20));
    List<CuratorOp> ops = new ArrayList<>();
    for (int k = 0; k < HostsReader.MAX_HOSTS; k++) {
      ops.add(writer.transactionOp().create().forPath(BASE + "/not-a-host-" + k, new byte[0]));
    }
    writer.transaction().forOperations(ops);
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> a.store().state() == StoreState.STALE, Duration.ofSeconds(20));
    assertEquals(List.of("192.0.2.2.7.1"), a.lookup(NAME).stream().map(ServiceInstance::address).toList(),
        "answers from what it knew");
  }
}
