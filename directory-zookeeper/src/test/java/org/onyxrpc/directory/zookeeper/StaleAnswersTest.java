package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.directory.zookeeper.Ensemble.NAME;
import static org.onyxrpc.directory.zookeeper.Ensemble.PROGRAM;
import static org.onyxrpc.directory.zookeeper.Ensemble.awaitTrue;
import static org.onyxrpc.directory.zookeeper.Ensemble.sees;
import static org.onyxrpc.directory.zookeeper.Ensemble.wildcard;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.onyxrpc.directory.FailoverDirectory;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.StoreState;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * A host cut off from ZooKeeper (a {@link Partition}) on a fake ticker: it serves the other
 * hosts' entries it last read for a bounded time, then only its own; and whatever it cannot know
 * is an error, never an empty answer, which a caller takes for "not registered" (a {@code
 * DirectoryClient} would drop the instances it knew, a {@code FailoverDirectory} would not ask
 * another directory, a C client would say the program is not registered).
 */
class StaleAnswersTest {
  private static final String HERE = "org.onyxrpc.test.Here";
  private static final String NEVER = "org.onyxrpc.test.NeverRegistered";

  @RegisterExtension final Ensemble ensemble = new Ensemble();

  @Test
  void aHostCutOffServesWhatItKnewForABoundedTimeAndNeverAnswersEmptyWhatItCannotKnow() throws Exception {
    Partition partition = ensemble.closeLater(new Partition(ensemble.zookeeper.getPort()));
    AtomicLong ticker = new AtomicLong();
    CuratorFramework curatorA = ensemble.curator(partition.connectString());
    ZooKeeperDirectoryStore storeA = ensemble.closeLater(ZooKeeperDirectoryStore.builder(curatorA).host(Hosts.A)
        .snapshotTtl(Duration.ofMillis(100)).maxStaleness(Duration.ofSeconds(30)).ticker(ticker::get).build());
    assertTrue(storeA.awaitReached(Duration.ofSeconds(30)));
    LocalDirectory a = ensemble.closeLater(new LocalDirectory(storeA));
    LocalDirectory b = ensemble.directory(ensemble.curator(), Hosts.B);
    DirectoryServer serverA = ensemble.closeLater(DirectoryServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0).directory(a).build().start());
    DirectoryServer serverB = ensemble.closeLater(DirectoryServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0).directory(b).build().start());
    RemoteDirectory remoteA = ensemble.closeLater(RemoteDirectory.at("127.0.0.1", serverA.port()));
    RemoteDirectory remoteB = ensemble.closeLater(RemoteDirectory.at("127.0.0.1", serverB.port()));
    FailoverDirectory aThenB = FailoverDirectory.of(List.of(remoteA, remoteB));

    b.register(wildcard(1000), Duration.ofHours(1)); // NAME, on B only
    a.register(new ServiceInstance(HERE, PROGRAM + 1, 1, "tcp", "0.0.0.0.7.208", "0"), Duration.ofHours(1));
    awaitTrue(() -> sees(a, 1000));
    assertEquals(List.of(), remoteA.lookup(NEVER), "current: nothing found is an answer");

    partition.cut();
    awaitTrue(() -> storeA.state() == StoreState.STALE);
    assertTrue(sees(a, 1000), "within the bound, B's entry as last read");
    assertEquals(1, remoteA.lookup(PROGRAM, 1).size());
    cannotTell(() -> a.lookup(NEVER));
    cannotTell(() -> remoteA.lookup(NEVER));
    cannotTell(() -> remoteA.lookup(PROGRAM + 2, 1));
    assertEquals(List.of(), aThenB.lookup(NEVER), "a failover directory asks B, which is current");
    try (DirectoryClient never = DirectoryClient.builder().directory(remoteA).service(NEVER).build()) {
      RpcException e = assertThrows(RpcException.class,
          () -> never.call(Procedure.nullPing(PROGRAM + 2, 1), null));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), "the call never left: " + e.getMessage());
    }

    ticker.addAndGet(Duration.ofSeconds(31).toNanos());
    assertEquals(StoreState.LOCAL_ONLY, storeA.state());
    cannotTell(() -> a.lookup(NAME)); // B's entry is no longer vouched for
    cannotTell(() -> remoteA.lookup(NAME));
    cannotTell(() -> remoteA.lookup(PROGRAM, 1));
    assertEquals(1, aThenB.lookup(NAME).size(), "B still knows it");
    assertEquals(1, remoteA.lookup(HERE).size(), "A's own entries are A's to vouch for");
    assertEquals(1, remoteA.lookup(PROGRAM + 1, 1).size());

    partition.heal();
    awaitTrue(() -> storeA.state() == StoreState.CURRENT && sees(a, 1000));
    assertEquals(List.of(), remoteA.lookup(NEVER));
  }

  /** The directory's answer is SYSTEM_ERR: it cannot tell, and says so. */
  private static void cannotTell(Executable lookUp) {
    RpcException e = assertThrows(RpcException.class, lookUp);
    assertEquals(RpcStatus.SYSTEM_ERR, e.status());
  }
}
