package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;

/**
 * Servers bound to every interface on two hosts: each stored with its host's advertised address,
 * in a znode of its own, listed by {@code rpcinfo -p} only on its host, found by name everywhere.
 */
class WildcardAcrossHostsTest {
  private static final String NAME = "org.onyxrpc.test.Wild";
  private static final int PROGRAM = 0x20000998;
  private static final String WILDCARD_4711 = "0.0.0.0.18.103";

  private TestingServer zookeeper;
  private CuratorFramework curatorA;
  private CuratorFramework curatorB;
  private ZooKeeperDirectoryStore storeA;
  private ZooKeeperDirectoryStore storeB;
  private LocalDirectory a;
  private LocalDirectory b;

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestingServer(true);
    curatorA = curator();
    curatorB = curator();
    storeA = ZooKeeperDirectoryStore.builder(curatorA).host(Hosts.A).snapshotTtl(Duration.ofMillis(100)).build();
    storeB = ZooKeeperDirectoryStore.builder(curatorB).host(Hosts.B).snapshotTtl(Duration.ofMillis(100)).build();
    assertTrue(storeA.awaitReached(Duration.ofSeconds(20)) && storeB.awaitReached(Duration.ofSeconds(20)));
    a = new LocalDirectory(storeA);
    b = new LocalDirectory(storeB);
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    storeA.close();
    storeB.close();
    curatorA.close();
    curatorB.close();
    zookeeper.close();
  }

  private CuratorFramework curator() throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.builder().connectString(zookeeper.getConnectString())
        .sessionTimeoutMs(10_000).connectionTimeoutMs(5_000).retryPolicy(new RetryOneTime(100)).build();
    c.start();
    assertTrue(c.blockUntilConnected(10, TimeUnit.SECONDS));
    return c;
  }

  private static ServiceInstance wildcard(String owner) {
    return new ServiceInstance(NAME, PROGRAM, 1, "tcp", WILDCARD_4711, owner);
  }

  @Test
  void sameWildcardOnTwoHostsIsTwoEntriesEachAnsweredWithItsHostsAddress() throws Exception {
    a.register(wildcard("0"), Duration.ofMinutes(1));
    b.register(wildcard("0"), Duration.ofMinutes(1));
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> a.lookup(NAME).size() == 2 && b.lookup(NAME).size() == 2,
        Duration.ofSeconds(20));

    // Each host answers its own entry as loopback (a caller here reaches it so), the other's
    // with that host's advertised address: never its own loopback for another host's server.
    assertEquals(Set.of("127.0.0.1.18.103", "192.0.2.2.18.103"), addresses(a.lookup(NAME)));
    assertEquals(Set.of("127.0.0.1.18.103", "192.0.2.1.18.103"), addresses(b.lookup(NAME)));
    assertEquals(Set.of("0.0.0.0.18.103"), addresses(a.table().local()), "rpcinfo -p on A: A's entry only");
    assertEquals(2, curatorA.getChildren().forPath("/onyx/directory").size(), "one znode per host");

    // A's directory stops: B's own entry is not touched, and A's goes with A's session.
    a.close();
    storeA.close();
    curatorA.close();
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> b.lookup(NAME).size() == 1, Duration.ofSeconds(20));
    assertEquals(Set.of("127.0.0.1.18.103"), addresses(b.lookup(NAME)));
    curatorA = curator(); // for stop()
  }

  @Test
  void loopbackEntriesStayOnTheirHostAndSetIsPerHost() throws Exception {
    ServiceInstance loopback = new ServiceInstance(NAME, PROGRAM, 2, "tcp", "127.0.0.1.18.104", "0");
    a.register(loopback, Duration.ofMinutes(1));
    // rpcbind SET of the same program version on both hosts: each host maps its own.
    assertTrue(a.table().set(new ServiceInstance("", PROGRAM, 3, "udp", "0.0.0.0.3.232", "0")));
    assertTrue(b.table().set(new ServiceInstance("", PROGRAM, 3, "udp", "0.0.0.0.3.232", "0")));
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> b.lookup(PROGRAM, 3).size() == 2, Duration.ofSeconds(20));
    assertEquals(Set.of("127.0.0.1.3.232", "192.0.2.1.3.232"), addresses(b.lookup(PROGRAM, 3)));
    assertEquals(List.of(), b.lookup(PROGRAM, 2), "A's loopback server is not reachable from B");
    // A program only A serves: GETADDR on B answers A's address, GETPORT on B (a port of B) nothing.
    a.register(new ServiceInstance(NAME, PROGRAM, 4, "tcp", WILDCARD_4711, "0"), Duration.ofMinutes(1));
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> b.table().find(PROGRAM, 4, "tcp", true).isPresent(), Duration.ofSeconds(20));
    assertEquals("192.0.2.1.18.103", b.table().find(PROGRAM, 4, "tcp", true).orElseThrow().address());
    assertTrue(b.table().findLocal(PROGRAM, 4, "tcp", false).isEmpty());
    assertEquals(1, a.lookup(PROGRAM, 2).size());
    // UNSET on B removes B's mapping only.
    assertTrue(b.table().unset(PROGRAM, 3, "", "superuser"));
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> a.lookup(PROGRAM, 3).size() == 1, Duration.ofSeconds(20));
    assertEquals(Set.of("127.0.0.1.3.232"), addresses(a.lookup(PROGRAM, 3)), "A's own mapping stays");
    assertEquals(Set.of("192.0.2.1.3.232"), addresses(b.lookup(PROGRAM, 3)));
  }

  @Test
  void twoDirectoriesOfOneHostServeEachOthersEntriesAsRegistered() throws Exception {
    CuratorFramework curatorA2 = curator();
    try (ZooKeeperDirectoryStore storeA2 = ZooKeeperDirectoryStore.builder(curatorA2).host(Hosts.A)
            .snapshotTtl(Duration.ofMillis(100)).build();
        LocalDirectory a2 = new LocalDirectory(storeA2)) {
      assertTrue(storeA2.awaitReached(Duration.ofSeconds(20)));
      a.register(new ServiceInstance(NAME, PROGRAM, 5, "tcp", "127.0.0.1.18.105", "0"), Duration.ofMinutes(1));
      ZooKeeperDirectoryStoreTest.awaitTrue(() -> a2.lookup(PROGRAM, 5).size() == 1, Duration.ofSeconds(20));
      assertEquals(Set.of("127.0.0.1.18.105"), addresses(a2.lookup(PROGRAM, 5)), "same host: loopback is good here");
      assertEquals(Set.of("127.0.0.1.18.105"), addresses(a2.table().local()), "and listed by rpcinfo -p here");
      assertEquals(List.of(), b.lookup(PROGRAM, 5), "another host cannot reach it");
    } finally {
      curatorA2.close();
    }
  }

  private static Set<String> addresses(List<ServiceInstance> instances) {
    return instances.stream().map(ServiceInstance::address).collect(Collectors.toSet());
  }
}
