package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.onyxrpc.directory.zookeeper.Ensemble.awaitTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.directory.HostIdentity;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A host dying with its server and directory (no withdrawal reaches ZooKeeper, as with kill -9):
 * until its session ends, the other hosts still list its server; a {@link DirectoryClient} on
 * another host calls through it to the live instance, and no caller sees a failure; once the
 * session has ended it is listed no more.
 */
class KilledHostTest {
  /** At most once: a call that may have run must never be made again, nor reported UNAVAILABLE. */
  private static final Procedure<Void, Integer> WHO = new Procedure<>(Ensemble.PROGRAM, 1, 1, "Faults.who",
      XdrCodecs.VOID, XdrCodecs.INT).withSemantics(CallSemantics.AT_MOST_ONCE);

  @RegisterExtension final Ensemble ensemble = new Ensemble();

  private RpcServer server(LocalDirectory directory, int id) throws Exception {
    return RpcServer.builder().bind(InetAddress.getByName("0.0.0.0"), 0).directory(directory)
        .serviceName(Ensemble.PROGRAM, Ensemble.NAME)
        .addService(ServiceDefinition.builder(Ensemble.PROGRAM, 1).procedure(WHO, (v, ctx) -> id).build())
        .build().start();
  }

  @Test
  void aClientOnAnotherHostCallsTheLiveInstanceWhileTheDeadHostIsStillListed() throws Exception {
    // Two hosts of this machine, each advertising its real addresses: their servers are reachable.
    List<InetAddress> addresses = HostIdentity.detect().addresses();
    assertFalse(addresses.isEmpty(), "this machine has a non-loopback address");
    HostIdentity hostA = HostIdentity.advertising("host-a", addresses);
    HostIdentity hostB = HostIdentity.advertising("host-b", addresses);
    Partition partition = ensemble.closeLater(new Partition(ensemble.zookeeper.getPort()));
    LocalDirectory a = ensemble.directory(ensemble.curator(partition.connectString()), hostA);
    LocalDirectory b = ensemble.directory(ensemble.curator(), hostB);
    RpcServer serverA = server(a, 1);
    RpcServer serverB = ensemble.closeLater(server(b, 2));
    int portA = serverA.port();
    awaitTrue(() -> b.lookup(Ensemble.NAME).stream().anyMatch(i -> i.socketAddress().getPort() == portA)
        && a.lookup(Ensemble.NAME).stream().anyMatch(i -> i.socketAddress().getPort() == serverB.port()));

    try (DirectoryClient client = DirectoryClient.builder().directory(b).service(Ensemble.NAME)
        .clientOptions(o -> o.timeout(Duration.ofSeconds(5))).build()) {
      java.util.Set<Integer> answered = new java.util.HashSet<>();
      for (int i = 0; i < 4; i++) {
        answered.add(client.call(WHO, null));
      }
      assertEquals(java.util.Set.of(1, 2), answered, "calls spread over both hosts");

      long killed = System.nanoTime();
      partition.cut(); // host A dies: its directory never tells ZooKeeper again
      serverA.close();
      for (int i = 0; i < 20; i++) {
        assertEquals(2, client.call(WHO, null), "the live instance answers every call");
      }
      awaitTrue(() -> b.lookup(Ensemble.NAME).stream().noneMatch(i -> i.socketAddress().getPort() == portA));
      System.out.printf("MEASURED killed host: its server left the other host's answers %d ms after it died"
          + " (session %d ms); no call failed meanwhile%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed), Ensemble.SESSION_MILLIS);
      assertEquals(2, client.call(WHO, null));
    }
  }
}
