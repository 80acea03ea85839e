package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.FailoverDirectory;
import org.onyxrpc.directory.HostIdentity;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A directory killed while its server lives: the server, given the ensemble's directories as a
 * {@link FailoverDirectory}, renews through the other one and stays visible. The time it is
 * invisible is printed, not asserted.
 */
class DirectoryKilledTest {
  private static final String NAME = "org.onyxrpc.test.Survivor";
  private static final int PROGRAM = 0x20000996;

  private TestingServer zookeeper;
  private final List<AutoCloseable> toClose = new ArrayList<>();

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
    assertTrue(c.blockUntilConnected(10, TimeUnit.SECONDS));
    return c;
  }

  private record Node(CuratorFramework curator, ZooKeeperDirectoryStore store, LocalDirectory directory,
      DirectoryServer server) implements AutoCloseable {
    @Override
    public void close() {
      server.close();
      directory.close();
      store.close();
      curator.close();
    }
  }

  private Node node(HostIdentity host) throws Exception {
    CuratorFramework c = curator();
    ZooKeeperDirectoryStore store = ZooKeeperDirectoryStore.builder(c).host(host).snapshotTtl(Duration.ofMillis(100)).build();
    assertTrue(store.awaitReached(Duration.ofSeconds(20)));
    LocalDirectory directory = new LocalDirectory(store);
    DirectoryServer server = DirectoryServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(directory)
        .build().start();
    return new Node(c, store, directory, server);
  }

  @Test
  void aServerRenewsThroughAnotherDirectoryWhenItsOwnDies() throws Exception {
    zookeeper = new TestingServer(true);
    Node a = node(Hosts.A);
    Node b = node(Hosts.B);
    toClose.add(b);
    RemoteDirectory viaA = RemoteDirectory.at("127.0.0.1", a.server().port());
    RemoteDirectory viaB = RemoteDirectory.at("127.0.0.1", b.server().port());
    toClose.add(viaA);
    toClose.add(viaB);
    Procedure<Void, Integer> one = new Procedure<>(PROGRAM, 1, 1, "Survivor.one", XdrCodecs.VOID, XdrCodecs.INT);
    RpcServer service = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        // A 3 s lease, renewed every second: the entry B lists must still be live at the look-up
        // below, and on a loaded machine a renewal may come well over the 667 ms a 1 s lease left.
        .directory(FailoverDirectory.of(List.of(viaA, viaB)), Duration.ofSeconds(3))
        .serviceName(PROGRAM, NAME)
        .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(one, (v, ctx) -> 1).build())
        .build().start();
    toClose.add(service);
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> a.directory().table().local().stream().anyMatch(i -> i.name().equals(NAME)),
        Duration.ofSeconds(20));

    long killed = System.nanoTime();
    a.close(); // directory A dies; its session's entries go with it
    ZooKeeperDirectoryStoreTest.awaitTrue(() -> b.directory().table().local().stream().anyMatch(i -> i.name().equals(NAME)),
        Duration.ofSeconds(20));
    System.out.printf("MEASURED directory killed: its server registered through the other directory %d ms later%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
    assertEquals(service.port(), viaB.lookup(NAME).get(0).socketAddress().getPort());
  }
}
