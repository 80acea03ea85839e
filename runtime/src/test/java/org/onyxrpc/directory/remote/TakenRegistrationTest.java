package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * A plain rpcbind (or version-2 portmapper) that has the program version at another address
 * already, as it has after a server was killed: rpcbind has no leases, and nothing unregisters a
 * killed server. rpcgen's servers remove such entries unasked ({@code pmap_unset}) when they
 * start; before, an Onyx server restarted at another port stayed unregistered, retrying every
 * second, until someone ran {@code rpcinfo -d}. Now an entry where nothing listens is replaced,
 * and one where a server listens is left alone with a message that says so.
 */
class TakenRegistrationTest {
  private static final ServiceInstance INSTANCE =
      new ServiceInstance("com.example.Inventory", 0x20005858, 1, "tcp", "0.0.0.0.156.64", "");

  @Test
  void aStaleEntryWhereNothingListensIsReplaced() throws Exception {
    FakeRpcbind rpcbind = new FakeRpcbind(UniversalAddress.format(deadPort()), true);
    try (RpcServer server = rpcbind.start(); RemoteDirectory directory = RemoteDirectory.at("127.0.0.1", server.port())) {
      directory.register(INSTANCE, Duration.ofSeconds(30));
    }
    assertEquals(List.of("SET", "DUMP", "UNSET tcp", "SET"), rpcbind.calls);
    assertEquals(INSTANCE.address(), rpcbind.entry);
  }

  @Test
  void anEntryWhereAServerListensIsLeftAlone() throws Exception {
    try (ServerSocket live = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String there = UniversalAddress.format((InetSocketAddress) live.getLocalSocketAddress());
      FakeRpcbind rpcbind = new FakeRpcbind(there, true);
      assertEquals("rpcbind at 127.0.0.1:PORT has program 0x20005858 version 1 over tcp at " + there
          + " (port " + live.getLocalPort() + ") already; a server listens there, so it is left in place (another server of this program"
          + " version runs: stop it, or serve another program number)", rpcbind.refusal());
      assertEquals(List.of("SET", "DUMP"), rpcbind.calls, "never UNSET");
    }
  }

  @Test
  void aStaleEntryRpcbindWillNotRemoveSaysHowTo() throws Exception {
    InetSocketAddress dead = deadPort();
    String there = UniversalAddress.format(dead);
    FakeRpcbind rpcbind = new FakeRpcbind(there, false);
    // The port as rpcinfo -p shows it beside the universal address (before: the address alone).
    assertEquals("rpcbind at 127.0.0.1:PORT has program 0x20005858 version 1 over tcp at " + there
        + " (port " + dead.getPort() + ") already; nothing listens there, but rpcbind did not let this process remove it (another user"
        + " set it: `rpcinfo -d 536893528 1`, run as its owner or root, removes it)", rpcbind.refusal());
  }

  /**
   * An entry set through rpcbind's local socket (owner superuser, as a C server running as root
   * sets it) that rpcbind will not let this process, over the network, remove: its owner is named,
   * and the owner (a peer's text) escaped. Before, "another user set it", to root running both.
   */
  @Test
  void aStaleEntryOfAnotherOwnerNamesIt() throws Exception {
    InetSocketAddress dead = deadPort();
    String there = UniversalAddress.format(dead);
    assertEquals("rpcbind at 127.0.0.1:PORT has program 0x20005858 version 1 over tcp at " + there
        + " (port " + dead.getPort() + ") already; nothing listens there, but rpcbind did not let this process"
        + " remove it (its owner is superuser, who set it through rpcbind's local socket, and rpcbind lets"
        + " this process, over the network, remove only entries of owner unknown: `rpcinfo -d 536893528 1`,"
        + " run as its owner or root, removes it)", new FakeRpcbind(there, false, "superuser").refusal());
    assertTrue(new FakeRpcbind(there, false, "1000\nforged").refusal().contains("its owner is 1000\\x0aforged,"));
  }

  /**
   * A plain rpcbind takes any address in a SET from any local process: the one in the way is
   * quoted escaped, since the message is logged (a WARN each time registration starts failing)
   * and shown; before, its newline wrote a line of its own into the server's log.
   */
  @Test
  void anEntryInTheWayIsQuotedOnOneLine() throws Exception {
    String forged = "2026-12-03 01:00:00 [main] ERROR Forged - written by another local user";
    FakeRpcbind rpcbind = new FakeRpcbind("not.an.address\n" + forged, true);
    assertEquals("rpcbind at 127.0.0.1:PORT has program 0x20005858 version 1 over tcp at not.an.address\\x0a"
        + forged + " already; whether a server listens there could not be told, so it is left in place"
        + " (if no server is there, `rpcinfo -d 536893528 1`, run as its owner or root, removes it)",
        rpcbind.refusal());
  }

  @Test
  void aVersion2PortmapperReplacesAStaleMappingToo() throws Exception {
    int dead = deadPort().getPort();
    FakePortmap portmap = new FakePortmap(dead, 0);
    try (RpcServer server = portmap.start(); RemoteDirectory directory = RemoteDirectory.at("127.0.0.1", server.port())) {
      directory.register(INSTANCE, Duration.ofSeconds(30));
    }
    assertEquals(List.of("SET", "GETPORT 6", "GETPORT 17", "UNSET", "SET"), portmap.calls);
    assertEquals(40000, portmap.tcp);
  }

  @Test
  void aVersion2PortmapperLeavesALiveServersMappingAlone() throws Exception {
    try (ServerSocket live = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      FakePortmap portmap = new FakePortmap(live.getLocalPort(), 0);
      assertEquals("portmapper at 127.0.0.1:PORT has program 0x20005858 version 1 over tcp at port "
          + live.getLocalPort() + " already; a server listens there, so it is left in place (another server"
          + " of this program version runs: stop it, or serve another program number)", portmap.refusal());
    }
  }

  /** Portmap's UNSET takes the UDP mapping too: not while a server answers there. */
  @Test
  void aVersion2PortmapperKeepsAStaleMappingWhoseOtherProtocolIsAlive() throws Exception {
    int dead = deadPort().getPort();
    try (RpcServer udp = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.UDP).directory(Directory.none()).addService(new TestService().definition())
        .build().start()) {
      FakePortmap portmap = new FakePortmap(dead, udp.port());
      assertEquals("portmapper at 127.0.0.1:PORT has program 0x20005858 version 1 over tcp at port " + dead
          + " already (nothing listens there), and over udp at port " + udp.port() + ", which portmap's"
          + " UNSET would remove with it; a server listens there, so it is left in place (another server"
          + " of this program version runs: stop it, or serve another program number)", portmap.refusal());
      assertEquals(List.of("SET", "GETPORT 6", "GETPORT 17"), portmap.calls, "never UNSET");
    }
  }

  @Test
  void udpEntriesAreProbedWithANullCall() throws Exception {
    // Silence is waited out; an answer or an ICMP error comes at once, but on a loaded machine
    // not always within 300 ms, and a late one read as silence (UNKNOWN).
    Duration timeout = Duration.ofMillis(300);
    Duration generous = Duration.ofSeconds(30);
    InetAddress host = InetAddress.getLoopbackAddress();
    try (RpcServer live = RpcServer.builder().bind(host, 0).transports(Transport.UDP)
            .directory(Directory.none()).addService(new TestService().definition()).build().start();
        DatagramSocket silent = new DatagramSocket(0, host)) {
      assertEquals(EntryProbe.Finding.LISTENING, EntryProbe.probe("udp", "0.0.0.0." + (live.port() >> 8) + "."
          + (live.port() & 0xff), host, 0x20005858, 1, generous), "answered, PROG_UNAVAIL though it is");
      assertEquals(EntryProbe.Finding.UNKNOWN, EntryProbe.probe("udp", UniversalAddress.format(
          (InetSocketAddress) silent.getLocalSocketAddress()), host, 0x20005858, 1, timeout), "silence proves nothing");
    }
    assertEquals(EntryProbe.Finding.GONE, EntryProbe.probe("udp", UniversalAddress.format(deadPort()), host,
        0x20005858, 1, generous), "ICMP port unreachable");
    assertEquals(EntryProbe.Finding.UNKNOWN, EntryProbe.probe("tcp", "not.an.address", host, 1, 1, timeout));
  }

  /** A loopback port nothing listens on: one the kernel gave and took back. */
  private static InetSocketAddress deadPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return (InetSocketAddress) s.getLocalSocketAddress();
    }
  }

  /** The message of the registration's failure with a directory at {@code server}. */
  private static String refusal(RpcServer server) {
    try (RemoteDirectory directory = RemoteDirectory.at("127.0.0.1", server.port())) {
      RpcException e = assertThrows(RpcException.class,
          () -> directory.register(INSTANCE, Duration.ofSeconds(30)));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      return e.getMessage().replace(":" + server.port() + " ", ":PORT ");
    }
  }

  /** rpcbind version 4 with one tcp entry of the program version, UNSET allowed or not. */
  private static final class FakeRpcbind {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile String entry;
    private final boolean unsetAllowed;
    private final String owner;

    FakeRpcbind(String entry, boolean unsetAllowed) {
      this(entry, unsetAllowed, "unknown");
    }

    /** {@code owner}: the entry's in DUMP, as rpcbind names who set it. */
    FakeRpcbind(String entry, boolean unsetAllowed, String owner) {
      this.entry = entry;
      this.unsetAllowed = unsetAllowed;
      this.owner = owner;
    }

    RpcServer start() throws Exception {
      return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
          .addService(ServiceDefinition.builder(Rpcb.PROGRAM, Rpcb.VERSION_4)
              .procedure(Rpcb.set(Rpcb.VERSION_4), (m, context) -> {
                calls.add("SET");
                if (entry != null) {
                  return false;
                }
                entry = m.address();
                return true;
              })
              .procedure(Rpcb.unset(Rpcb.VERSION_4), (m, context) -> {
                calls.add("UNSET " + m.netid());
                if (unsetAllowed) {
                  entry = null;
                }
                return unsetAllowed;
              })
              .procedure(Rpcb.dump(Rpcb.VERSION_4), (none, context) -> {
                calls.add("DUMP");
                String at = entry;
                return at == null ? List.of() : List.of(
                    new Rpcb.Mapping(Rpcb.PROGRAM, Rpcb.VERSION_4, "tcp", "0.0.0.0.0.111", "superuser"),
                    new Rpcb.Mapping(INSTANCE.program(), 1, "udp", "0.0.0.0.1.1", "unknown"),
                    new Rpcb.Mapping(INSTANCE.program(), 1, "tcp", at, owner));
              })
              .build())
          .build().start();
    }

    String refusal() throws Exception {
      try (RpcServer server = start()) {
        return TakenRegistrationTest.refusal(server);
      }
    }
  }

  /** Portmap version 2 with the program version's tcp and udp ports (0: none). */
  private static final class FakePortmap {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile int tcp;
    volatile int udp;

    FakePortmap(int tcp, int udp) {
      this.tcp = tcp;
      this.udp = udp;
    }

    RpcServer start() throws Exception {
      return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
          .addService(ServiceDefinition.builder(Portmap.PROGRAM, Portmap.VERSION)
              .procedure(Portmap.SET, (m, context) -> {
                calls.add("SET");
                if (tcp != 0) {
                  return false;
                }
                tcp = m.port();
                return true;
              })
              .procedure(Portmap.UNSET, (m, context) -> {
                calls.add("UNSET");
                tcp = 0;
                udp = 0;
                return true;
              })
              .procedure(Portmap.GETPORT, (m, context) -> {
                calls.add("GETPORT " + m.protocol());
                return m.protocol() == Portmap.IPPROTO_TCP ? tcp : udp;
              })
              .build())
          .build().start();
    }

    String refusal() throws Exception {
      try (RpcServer server = start()) {
        return TakenRegistrationTest.refusal(server);
      }
    }
  }
}
