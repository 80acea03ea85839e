package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.StoreState;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.Await;
import org.onyxrpc.xdr.XdrCodecs;

/** The ZooKeeper store against Curator's in-process ZooKeeper server. */
@SuppressWarnings("try") // a directory held open by try-with-resources
class ZooKeeperDirectoryStoreTest {
  private static final String NAME = "org.onyxrpc.test.Shared";
  private static final int PROGRAM = 0x20000999;

  private TestingServer zookeeper;

  @BeforeEach
  void startZooKeeper() throws Exception {
    zookeeper = new TestingServer(true);
  }

  @AfterEach
  void stopZooKeeper() throws Exception {
    zookeeper.close();
  }

  private CuratorFramework curator() throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.builder().connectString(zookeeper.getConnectString())
        .sessionTimeoutMs(10_000).connectionTimeoutMs(5_000).retryPolicy(new RetryOneTime(100)).build();
    c.start();
    assertTrue(c.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS));
    return c;
  }

  private static ServiceInstance instance(int port) {
    return new ServiceInstance(NAME, PROGRAM, 1, "tcp", "127.0.0.1." + (port >> 8) + "." + (port & 0xFF), "0");
  }

  /**
   * A directory stopped by SIGTERM withdraws its entries and closes its store at once, which
   * interrupts the write of the withdrawal: before, that read as an outage, "ZooKeeper unreachable
   * (cannot write this host's entries: InterruptedException) ... answers from its last known
   * state" at WARN on every stop of {@code onyx directory --zookeeper}, and the store said STALE.
   * close() waits for the refresher to end, so the state read after it is its last. Whether a
   * write is under way when close() comes is the refresher's timing: ten stops.
   */
  @Test
  void closingDuringAWriteIsNoOutage() throws Exception {
    for (int i = 0; i < 10; i++) {
      try (CuratorFramework c = curator()) {
        ZooKeeperDirectoryStore store = ZooKeeperDirectoryStore.builder(c).host(Hosts.A).build();
        assertTrue(store.awaitReached(Duration.ofSeconds(20)));
        assertTrue(store.put(new Registration(instance(1000 + i), Registration.PERMANENT)));
        assertTrue(store.remove(instance(1000 + i).key()));
        store.close();
        assertEquals(StoreState.CURRENT, store.state(), "stop " + i);
      }
    }
  }

  @Test
  void putListRemoveAndExpire() throws Exception {
    try (CuratorFramework c = curator();
        ZooKeeperDirectoryStore store = ZooKeeperDirectoryStore.builder(c).host(Hosts.A).build()) {
      assertTrue(store.awaitReached(Duration.ofSeconds(20)));
      long now = System.currentTimeMillis();
      assertTrue(store.put(new Registration(instance(1000), Registration.PERMANENT)));
      assertTrue(store.put(new Registration(instance(1001), now + 60_000)));
      assertTrue(store.put(new Registration(instance(1002), now - 1)));
      assertEquals(2, store.list(now).size(), "an expired entry is never listed");
      assertTrue(store.put(new Registration(instance(1001), now + 120_000)), "replaces by key");
      assertEquals(now + 120_000, store.list(now).stream()
          .filter(r -> r.instance().address().endsWith(".3.233")).findFirst().orElseThrow().expiresAtMillis());
      assertEquals(1, store.removeExpired(now));
      assertTrue(store.remove(instance(1000).key()));
      assertFalse(store.remove(instance(1000).key()));
      assertEquals(List.of(instance(1001)), store.list(now).stream().map(Registration::instance).toList());
    }
  }

  /**
   * A Curator client that was never started never connects, so before, the store built over it
   * answered every call "ZooKeeper at HOST:PORT not reached yet" for ever, with ZooKeeper up and
   * listening there: the message sent the user to look at the ensemble, not at the missing
   * start(). A closed client was the same.
   */
  @Test
  void aCuratorClientNotStartedOrClosedIsRefusedAtBuild() throws Exception {
    try (CuratorFramework latent = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> ZooKeeperDirectoryStore.builder(latent).host(Hosts.A).build());
      assertEquals("the Curator client is not started: call its start() before building the store", e.getMessage());
    }
    CuratorFramework closed = curator();
    closed.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ZooKeeperDirectoryStore.builder(closed).host(Hosts.A).build());
    assertEquals("the Curator client is closed", e.getMessage());
  }

  @Test
  void aBuilderChangedAfterBuildDoesNotReachTheStore() throws Exception {
    try (CuratorFramework c = curator()) {
      ZooKeeperDirectoryStore.Builder builder = ZooKeeperDirectoryStore.builder(c)
          .basePath("/built").host(Hosts.A).maxEntries(1);
      try (ZooKeeperDirectoryStore store = builder.build()) {
        builder.basePath("/changed").host(Hosts.B).maxEntries(2);
        assertTrue(store.awaitReached(Duration.ofSeconds(20)));
        assertEquals(Hosts.A, store.host());
        assertTrue(store.put(new Registration(instance(1000), Registration.PERMANENT)));
        assertFalse(store.put(new Registration(instance(1001), Registration.PERMANENT)), "still one entry at most");
        awaitTrue(() -> exists(c, "/built/" + StoredEntry.nodeName(Hosts.A.id(), instance(1000).key())),
            Duration.ofSeconds(20));
        assertFalse(exists(c, "/changed"));
      }
    }
  }

  private static boolean exists(CuratorFramework c, String path) {
    try {
      return c.checkExists().forPath(path) != null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void directoriesOnTwoMachinesShareEntriesAndADeadDirectorysEntriesComeBackThroughRenewals()
      throws Exception {
    CuratorFramework curatorA = curator();
    CuratorFramework curatorB = curator();
    ZooKeeperDirectoryStore storeA = ZooKeeperDirectoryStore.builder(curatorA).host(Hosts.A).snapshotTtl(Duration.ZERO).build();
    ZooKeeperDirectoryStore storeB = ZooKeeperDirectoryStore.builder(curatorB).host(Hosts.B).snapshotTtl(Duration.ZERO).build();
    assertTrue(storeA.awaitReached(Duration.ofSeconds(20)) && storeB.awaitReached(Duration.ofSeconds(20)));
    LocalDirectory a = new LocalDirectory(storeA);
    LocalDirectory b = new LocalDirectory(storeB);
    DirectoryServer serverA = DirectoryServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(a).build().start();
    int portA = serverA.port();
    Procedure<Void, Integer> one = new Procedure<>(PROGRAM, 1, 1, "Shared.one", XdrCodecs.VOID, XdrCodecs.INT);
    try (RemoteDirectory viaA = RemoteDirectory.builder().address("127.0.0.1", portA).build();
        RpcServer service = RpcServer.builder().bind(InetAddress.getByName("0.0.0.0"), 0) // every interface
            .directory(viaA, Duration.ofSeconds(2))
            .serviceName(PROGRAM, NAME)
            .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(one, (v, ctx) -> 1).build())
            .build().start()) {
      awaitTrue(() -> b.lookup(NAME).size() == 4 /* tcp, udp, both families */, Duration.ofSeconds(20)); // registered through A, found through B

      serverA.close(); // directory A dies: its session's ephemeral entries go with it
      a.close();
      storeA.close();
      curatorA.close();
      awaitTrue(() -> b.lookup(NAME).isEmpty(), Duration.ofSeconds(20));

      CuratorFramework curatorA2 = curator(); // A restarts on its port, with no operator action
      ZooKeeperDirectoryStore storeA2 = ZooKeeperDirectoryStore.builder(curatorA2).host(Hosts.A).build();
      LocalDirectory a2 = new LocalDirectory(storeA2);
      try (DirectoryServer serverA2 = DirectoryServer.builder().bind(InetAddress.getLoopbackAddress(), portA)
          .directory(a2).build().start()) {
        awaitTrue(() -> b.lookup(NAME).size() == 4 /* tcp, udp, both families */, Duration.ofSeconds(20));
        assertEquals(service.port(), b.lookup(NAME).get(0).socketAddress().getPort());
        assertEquals(Hosts.A.addresses().get(0), b.lookup(NAME).get(0).socketAddress().getAddress(),
            "B answers with A's advertised address, not its own loopback");
      } finally {
        a2.close();
        storeA2.close();
        curatorA2.close();
      }
    } finally {
      b.close();
      storeB.close();
      curatorB.close();
    }
  }

  /** The runtime's {@link Await}, under the name this module's tests use. */
  static void awaitTrue(BooleanSupplier condition, Duration timeout) {
    Await.until(condition, timeout);
  }
}
