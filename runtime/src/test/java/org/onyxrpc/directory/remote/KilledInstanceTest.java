package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.internal.rpcbind.Owners;

/**
 * A server killed (SIGKILL) leaves its entries in an Onyx directory until their lease ends; the
 * same server started again at another port registers beside them. Before, a look-up by address
 * ({@code RpcClient.builder().directory(...)}, GETADDR) answered with the dead port for the rest
 * of the lease whenever it sorted first (seen by a new user: UNAVAILABLE, connection refused).
 * Now the new registration withdraws the entries of its name, program version and netid where
 * nothing listens, and leaves every other one.
 */
class KilledInstanceTest {
  private static final String NAME = "com.example.Inventory";
  private static final int PROGRAM = 0x20005859;

  @Test
  void aRestartedServerWithdrawsItsKilledPredecessorsEntriesOnly() throws Exception {
    LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
    try (DirectoryServer server = DirectoryServer.builder().port(0).directory(table).build().start();
        ServerSocket live = listening();
        ServerSocket sibling = listening()) {
      String dead = UniversalAddress.format(deadPort());
      String deadWildcard = UniversalAddress.format(new InetSocketAddress(
          InetAddress.getByAddress(new byte[4]), deadPort().getPort()));
      // What a killed server left, as its calls over TCP had registered it (owner unknown).
      killed(table, instance(NAME, 1, "tcp", dead));
      killed(table, instance(NAME, 1, "tcp", deadWildcard));
      killed(table, instance(NAME, 2, "tcp", dead)); // another version
      killed(table, instance(NAME, 1, "udp", dead)); // another netid
      String otherDead = UniversalAddress.format(deadPort()); // an entry's key holds no name
      killed(table, instance("com.example.Other", 1, "tcp", otherDead));
      killed(table, instance(NAME, 1, "tcp", address(sibling))); // alive

      try (RemoteDirectory restarted = RemoteDirectory.at("127.0.0.1", server.port())) {
        restarted.register(instance(NAME, 1, "tcp", address(live)), Duration.ofMinutes(1));
        assertEquals(Set.of("1 tcp " + address(live), "1 tcp " + address(sibling), "2 tcp " + dead, "1 udp " + dead),
            entries(restarted.lookup(NAME)));
        assertEquals(Set.of("1 tcp " + otherDead), entries(restarted.lookup("com.example.Other")));
      }
    }
  }

  /**
   * Entries planted by another local process (owner unknown, as every TCP caller's) at UDP ports
   * that never answer, each costing a probe's whole wait: before, the first 8 were probed one
   * after another (8 s) and the killed predecessor listed after them was never probed, so stayed.
   * Now the probes run at once, under one deadline, and the dead entry is withdrawn.
   */
  @Test
  void silentEntriesPlantedBeforeTheDeadOneDoNotHideIt() throws Exception {
    LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
    List<DatagramSocket> silent = new ArrayList<>();
    try (DirectoryServer server = DirectoryServer.builder().port(0).directory(table).build().start()) {
      for (int i = 0; i < 8; i++) {
        DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        silent.add(s);
        killed(table, instance(NAME, 1, "udp", UniversalAddress.format((InetSocketAddress) s.getLocalSocketAddress())));
      }
      // On 127.0.0.2: listed after the silent ones (a look-up sorts by address), as a crowd's victim is.
      InetSocketAddress deadUdp;
      try (DatagramSocket gone = new DatagramSocket(0, InetAddress.getByName("127.0.0.2"))) {
        deadUdp = (InetSocketAddress) gone.getLocalSocketAddress();
      }
      String dead = UniversalAddress.format(deadUdp);
      killed(table, instance(NAME, 1, "udp", dead));
      try (DatagramSocket live = new DatagramSocket(0, InetAddress.getLoopbackAddress());
          RemoteDirectory restarted = RemoteDirectory.at("127.0.0.1", server.port())) {
        String mine = UniversalAddress.format((InetSocketAddress) live.getLocalSocketAddress());
        restarted.register(instance(NAME, 1, "udp", mine), Duration.ofMinutes(1));
        Set<String> left = entries(restarted.lookup(NAME));
        assertFalse(left.contains("1 udp " + dead), "the dead entry is withdrawn: " + left);
        assertEquals(9, left.size(), "the 8 silent entries and the new one stay: " + left);
      }
    } finally {
      silent.forEach(DatagramSocket::close);
    }
  }

  private static void killed(LocalDirectory table, ServiceInstance i) {
    table.table().register(new ServiceInstance(i.name(), i.program(), i.version(), i.netid(), i.address(),
        Owners.UNKNOWN), Duration.ofMinutes(1));
  }

  private static Set<String> entries(List<ServiceInstance> found) {
    return found.stream().map(i -> i.version() + " " + i.netid() + " " + i.address()).collect(Collectors.toSet());
  }

  private static ServiceInstance instance(String name, int version, String netid, String address) {
    return new ServiceInstance(name, PROGRAM, version, netid, address, "");
  }

  private static ServerSocket listening() throws Exception {
    return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  private static String address(ServerSocket socket) {
    return UniversalAddress.format((InetSocketAddress) socket.getLocalSocketAddress());
  }

  /** A loopback port nothing listens on: one the kernel gave and took back. */
  private static InetSocketAddress deadPort() throws Exception {
    try (ServerSocket s = listening()) {
      return (InetSocketAddress) s.getLocalSocketAddress();
    }
  }
}
