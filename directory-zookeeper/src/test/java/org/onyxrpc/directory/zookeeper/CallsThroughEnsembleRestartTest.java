package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.directory.zookeeper.Ensemble.awaitTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.directory.HostIdentity;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.StoreState;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Two hosts serving one name, called by name through a {@link DirectoryClient} on each while the
 * ensemble stops and restarts: every call answers, every look-up lists both live servers and
 * nothing else; once everything is closed, no store thread and no znode of either host is left.
 */
class CallsThroughEnsembleRestartTest {
  /** At most once: a call that may have run must never be made again, nor reported UNAVAILABLE. */
  private static final Procedure<Void, Integer> WHO = new Procedure<>(Ensemble.PROGRAM, 1, 1, "Faults.who",
      XdrCodecs.VOID, XdrCodecs.INT).withSemantics(CallSemantics.AT_MOST_ONCE);
  private static final String THREAD = "onyx-zookeeper-directory";

  @RegisterExtension final Ensemble ensemble = new Ensemble();

  private static RpcServer server(LocalDirectory directory, int id) throws Exception {
    return RpcServer.builder().bind(InetAddress.getByName("0.0.0.0"), 0).directory(directory)
        .serviceName(Ensemble.PROGRAM, Ensemble.NAME)
        .addService(ServiceDefinition.builder(Ensemble.PROGRAM, 1).procedure(WHO, (v, ctx) -> id).build())
        .build().start();
  }

  @Test
  void callsByNameOnTwoHostsAllAnswerThroughAnEnsembleRestartAndNothingIsLeftAfterClose() throws Exception {
    int threadsBefore = threads();
    List<InetAddress> addresses = HostIdentity.detect().addresses();
    assertFalse(addresses.isEmpty(), "this machine has a non-loopback address");
    CuratorFramework curatorA = ensemble.curator();
    CuratorFramework curatorB = ensemble.curator();
    LocalDirectory a = ensemble.directory(curatorA, HostIdentity.advertising("host-a", addresses));
    LocalDirectory b = ensemble.directory(curatorB, HostIdentity.advertising("host-b", addresses));
    RpcServer serverA = server(a, 1);
    RpcServer serverB = server(b, 2);
    Set<Integer> ports = Set.of(serverA.port(), serverB.port());
    awaitTrue(() -> ports(a).equals(ports) && ports(b).equals(ports));

    List<Integer> answers = new ArrayList<>();
    try (DirectoryClient onA = DirectoryClient.builder().directory(a).service(Ensemble.NAME)
            .cacheTtl(Duration.ofMillis(200)).clientOptions(o -> o.timeout(Duration.ofSeconds(5))).build();
        DirectoryClient onB = DirectoryClient.builder().directory(b).service(Ensemble.NAME)
            .cacheTtl(Duration.ofMillis(200)).clientOptions(o -> o.timeout(Duration.ofSeconds(5))).build()) {
      for (int i = 0; i < 4; i++) {
        answers.add(onA.call(WHO, null));
        answers.add(onB.call(WHO, null));
      }
      assertEquals(Set.of(1, 2), new HashSet<>(answers), "calls spread over both hosts");

      ensemble.zookeeper.stop();
      awaitTrue(() -> a.store().state() != StoreState.CURRENT && b.store().state() != StoreState.CURRENT);
      for (int i = 0; i < 10; i++) {
        answers.add(onA.call(WHO, null));
        answers.add(onB.call(WHO, null));
        assertEquals(ports, ports(a), "A answers both live servers from what it knew");
        assertEquals(ports, ports(b));
      }
      long restarted = System.nanoTime();
      ensemble.zookeeper.restart();
      awaitTrue(() -> a.store().state() == StoreState.CURRENT && b.store().state() == StoreState.CURRENT);
      for (int i = 0; i < 10; i++) {
        answers.add(onA.call(WHO, null));
        answers.add(onB.call(WHO, null));
        assertEquals(ports, ports(a));
        assertEquals(ports, ports(b));
      }
      System.out.printf("MEASURED %d calls by name through an ensemble restart, none failed; current again %d ms"
          + " after the restart%n", answers.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
    }

    serverA.close();
    awaitTrue(() -> ports(b).equals(Set.of(serverB.port())));
    serverB.close();
    a.close();
    b.close();
    a.store().close();
    b.store().close();
    curatorA.close();
    curatorB.close();
    CuratorFramework reader = ensemble.curator();
    awaitTrue(() -> znodes(reader, "host-a") == 0 && znodes(reader, "host-b") == 0);
    awaitTrue(() -> threads() <= threadsBefore);
  }

  private static Set<Integer> ports(LocalDirectory d) {
    Set<Integer> ports = new HashSet<>();
    for (ServiceInstance i : d.lookup(Ensemble.NAME)) {
      if (i.netid().equals("tcp")) {
        ports.add(i.socketAddress().getPort());
      }
    }
    return ports;
  }

  /** The entries ZooKeeper holds for a host; none once its directory's session is closed. */
  private static int znodes(CuratorFramework reader, String hostId) {
    try {
      String host = Ensemble.BASE + "/" + StoredEntry.hostNode(hostId);
      return reader.checkExists().forPath(host) == null ? 0 : reader.getChildren().forPath(host).size();
    } catch (Exception e) {
      return -1;
    }
  }

  private static int threads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(THREAD)).count();
  }
}
