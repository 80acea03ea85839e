package org.onyxrpc.directory.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryForever;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.onyxrpc.directory.HostIdentity;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;

/**
 * A ZooKeeper server with short ticks (so a session of 2 s is allowed) and directories of hosts
 * over it, for the tests of faults: registered as an extension, it starts before each test and
 * closes what the test opened through it, then the server, after it.
 *
 * <pre>{@code
 * @RegisterExtension final Ensemble ensemble = new Ensemble();
 * }</pre>
 */
final class Ensemble implements BeforeEachCallback, AfterEachCallback {
  static final String BASE = "/onyx/directory";
  static final String NAME = "org.onyxrpc.test.Faults";
  static final int PROGRAM = 0x20000994;
  static final int TICK_MILLIS = 100;
  static final int SESSION_MILLIS = 2_000;

  TestingServer zookeeper;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    zookeeper = new TestingServer(spec(-1), true);
  }

  static InstanceSpec spec(int port) {
    return new InstanceSpec(null, port, -1, -1, true, -1, TICK_MILLIS, -1);
  }

  /** Replaces the server by one on the same port that knows nothing: an ensemble rebuilt empty. */
  void replaceEmpty() throws Exception {
    int port = zookeeper.getPort();
    zookeeper.close();
    zookeeper = new TestingServer(spec(port), true);
  }

  CuratorFramework curator(String connectString) {
    CuratorFramework c = CuratorFrameworkFactory.builder().connectString(connectString)
        .sessionTimeoutMs(SESSION_MILLIS).connectionTimeoutMs(1_000).retryPolicy(new RetryForever(100)).build();
    c.start();
    toClose.add(c);
    return c;
  }

  CuratorFramework curator() {
    return curator(zookeeper.getConnectString());
  }

  LocalDirectory directory(CuratorFramework c, HostIdentity host) throws Exception {
    return directory(c, host, java.time.Clock.systemUTC());
  }

  LocalDirectory directory(CuratorFramework c, HostIdentity host, java.time.Clock clock) throws Exception {
    ZooKeeperDirectoryStore store = ZooKeeperDirectoryStore.builder(c).host(host)
        .snapshotTtl(Duration.ofMillis(100)).build();
    toClose.add(store);
    if (!store.awaitReached(Duration.ofSeconds(30))) {
      throw new AssertionError("ZooKeeper not reached");
    }
    LocalDirectory directory = new LocalDirectory(store, clock);
    toClose.add(directory);
    return directory;
  }

  <T extends AutoCloseable> T closeLater(T resource) {
    toClose.add(resource);
    return resource;
  }

  static ServiceInstance wildcard(int port) {
    return new ServiceInstance(NAME, PROGRAM, 1, "tcp", "0.0.0.0." + (port >> 8) + "." + (port & 0xFF), "0");
  }

  static boolean sees(LocalDirectory d, int port) {
    return d.lookup(NAME).stream().anyMatch(i -> i.socketAddress().getPort() == port);
  }

  /** Counts down when {@code c} reports {@code state}. */
  static CountDownLatch on(CuratorFramework c, ConnectionState state) {
    CountDownLatch latch = new CountDownLatch(1);
    c.getConnectionStateListenable().addListener((client, s) -> {
      if (s == state) {
        latch.countDown();
      }
    });
    return latch;
  }

  /** The entry of {@code host} for {@code instance} as ZooKeeper holds it now, with its znode's stat; null if none. */
  static StoredEntry stored(CuratorFramework reader, HostIdentity host, ServiceInstance instance, Stat stat) {
    try {
      String child = StoredEntry.nodeName(host.id(), instance.key());
      return StoredEntry.decode(child, reader.getData().storingStatIn(stat).forPath(BASE + "/" + child));
    } catch (Exception e) {
      return null;
    }
  }

  static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> {
      try {
        return condition.getAsBoolean();
      } catch (RuntimeException e) {
        return false; // not reachable yet
      }
    }, Duration.ofSeconds(60));
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    zookeeper.close();
  }
}
