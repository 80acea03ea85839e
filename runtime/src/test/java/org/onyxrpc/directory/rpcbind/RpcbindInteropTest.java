package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.Unavailable;
import org.onyxrpc.transport.Transport;

/**
 * The C world finds Onyx services through an Onyx directory on port 111 ({@code rpcinfo -p},
 * {@code rpcinfo -s}, {@code rpcinfo -T}, {@code rpcinfo -l}, and an unmodified rpcgen client's
 * {@code clnt_create}), an unmodified rpcgen server registers with the Onyx directory (through
 * rpcbind's local socket) and is called by Onyx, and Onyx registers with and looks up through
 * Debian's own rpcbind, where rpcgen's client finds Onyx servers and Onyx finds rpcgen's server.
 * rpc_broadcast reaches an Onyx server through either, and callers on each network of a host on
 * two find its servers there. Every phase owns port 111 of 127.0.0.1 alone and frees it before
 * the next: the Onyx directory and rpcbind never meet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock("port 111")
@SuppressWarnings("try") // directories and servers held open by try-with-resources
class RpcbindInteropTest {
  private static final String NAME = "org.onyxrpc.testing.TestService";
  private static final String PROG = Integer.toString(TestService.PROGRAM); // 536871169
  private static final Path RPCBIND_SOCKET = NativeTools.RPCBIND_SOCKET;
  private static final InetAddress ANY = new InetSocketAddress(0).getAddress();

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work);

  private NativeTools tools() {
    return port111.tools();
  }

  @Test
  @Order(1)
  void rpcinfoListsAndPingsOnyxServicesThroughAnOnyxDirectory() throws Exception {
    NativeTools.require("rpcinfo");
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT);
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer server = onyxServer(remote)) {
      awaitRegistered(remote);
      int port = server.port();
      String p = tools().run("rpcinfo", "-p", "127.0.0.1");
      assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+tcp\\s+" + port + "\\b").matcher(p).find(), p);
      assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+udp\\s+" + port + "\\b").matcher(p).find(), p);
      assertTrue(Pattern.compile("(?m)^\\s*100000\\s+2\\s+tcp\\s+111\\b").matcher(p).find(), p);

      String s = tools().run("rpcinfo", "-s", "127.0.0.1");
      assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+\\S*tcp\\S*\\s").matcher(s).find(), s);
      assertTrue(Pattern.compile("(?m)^\\s*100000\\s+\\S*2\\S*\\s").matcher(s).find(), s);

      for (String netid : List.of("tcp", "udp")) {
        String ping = tools().run("rpcinfo", "-T", netid, "127.0.0.1", PROG, "1");
        assertTrue(ping.contains("program " + PROG + " version 1 ready and waiting"), ping);
      }
      String missing = tools().runAllowingFailure("rpcinfo", "-T", "tcp", "127.0.0.1", "536871170", "1").output();
      assertFalse(missing.contains("ready and waiting"), missing);
      // Found through the directory, version 2 is refused by the Onyx server with its range.
      for (String netid : List.of("tcp", "udp")) {
        String v2 = tools().runAllowingFailure("rpcinfo", "-T", netid, "127.0.0.1", PROG, "2").output();
        assertTrue(v2.contains("RPC: Program/version mismatch; low version = 1, high version = 1"), v2);
      }
      String l = tools().run("rpcinfo", "-l", "127.0.0.1", PROG, "1");
      for (String netid : List.of("tcp/cots_ord", "udp/clts")) {
        assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+inet/" + netid + "\\s+127\\.0\\.0\\.1\\."
            + (port >> 8) + "\\." + (port & 0xff) + "\\s").matcher(l).find(), l);
      }
    }
  }

  @Test
  @Order(2)
  void rpcgenClientFindsAnOnyxServerWithClntCreate() throws Exception {
    NativeTools.require("rpcgen", "gcc");
    Path client = tools().rpcgenClient();
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT);
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer server = onyxServer(remote)) {
      awaitRegistered(remote);
      cClientCallsTheOnyxServer(client);
    }
  }

  /**
   * clnt_create finds the TestService server through port 111 (a call to version 2 is refused
   * with the server's range), and so do clnttcp_create and clntudp_create given port 0, through
   * portmap's version 2 GETPORT, clnt_create with libtirpc's nettypes that try each
   * transport of /etc/netconfig in turn (udp6 and tcp6 among them, which the server lacks), and
   * clnt_create_timed over tcp and udp.
   */
  private void cClientCallsTheOnyxServer(Path client) throws Exception {
    for (String nettype : List.of("netpath", "visible", "circuit_v", "datagram_n", "tcp-timed", "udp-timed")) {
      assertEquals("add(2, 40) = 42 over " + nettype + "\n",
          tools().run(client.toString(), "127.0.0.1", nettype));
    }
    for (String netid : List.of("tcp", "udp")) {
      String out = tools().run(client.toString(), "127.0.0.1", netid);
      assertEquals("add(2, 40) = 42 over " + netid + "\n", out);
      NativeTools.Result v2 = tools().runAllowingFailure(client.toString(), "127.0.0.1", netid, "2");
      assertEquals("add: RPC: Program/version mismatch; low version = 1, high version = 1\n",
          v2.output());
      String pmap = netid + "-pmap";
      assertEquals("add(2, 40) = 42 over " + pmap + "\n", tools().run(client.toString(), "127.0.0.1", pmap));
    }
  }

  @Test
  @Order(3)
  void anRpcgenServerRegistersWithTheOnyxDirectoryAndOnyxCallsIt() throws Exception {
    NativeTools.require("rpcgen", "gcc", "rpcinfo");
    if (!Files.isWritable(RPCBIND_SOCKET.getParent())) {
      Unavailable.because("rpcgen servers register on " + RPCBIND_SOCKET + ", which needs root");
    }
    Path server = tools().rpcgenServer();
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT, RPCBIND_SOCKET)) {
      // svc_register → pmap_set → rpcb_set, through rpcbind's local socket as always.
      tools().start(server.toString());
      NamesAndLeasesTest.awaitTrue(() -> directory.directory.lookup(TestService.PROGRAM, 1).size() >= 2,
          Duration.ofSeconds(20));
      String s = tools().run("rpcinfo", "-s", "127.0.0.1");
      assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+\\S*tcp\\S*\\s+-\\s+" + Owners.self() + "\\s*$")
          .matcher(s).find(), "the owner is the uid the kernel reports:\n" + s);
      try (DirectoryClient c = DirectoryClient.builder().directory(directory.directory)
          .program(TestService.PROGRAM, 1).build()) {
        assertEquals(42, c.call(TestService.ADD, new TestService.Pair(2, 40)), "answered by the C server");
      }
      tools().run("rpcinfo", "-d", PROG, "1"); // as its owner (or root), through the local socket
      assertEquals(List.of(), directory.directory.lookup(TestService.PROGRAM, 1));
    }
    assertFalse(Files.exists(RPCBIND_SOCKET), "the local socket is removed on close");
  }

  @Test
  @Order(4)
  void onyxRegistersWithAndLooksUpThroughDebianRpcbind() throws Exception {
    NativeTools.require("rpcbind", "rpcinfo", "rpcgen", "gcc");
    Path client = tools().rpcgenClient();
    tools().withDebianRpcbind(() -> registerAndLookUpThroughRpcbind(client));
  }

  @Test
  @Order(5)
  void onyxFindsAndCallsAnRpcgenServerThroughDebianRpcbind() throws Exception {
    NativeTools.require("rpcbind", "rpcgen", "gcc");
    Path server = tools().rpcgenServer();
    tools().withDebianRpcbind(() -> {
      try (RemoteDirectory debian = RemoteDirectory.at("127.0.0.1")) {
        tools().start(server.toString()); // svc_register → rpcbind, through its local socket
        awaitRegistered(debian);
        for (Transport transport : List.of(Transport.TCP, Transport.UDP)) {
          try (DirectoryClient c = DirectoryClient.builder().directory(debian)
              .program(TestService.PROGRAM, 1).transport(transport).build()) {
            assertEquals(42, c.call(TestService.ADD, new TestService.Pair(2, 40)), transport.name());
          }
        }
      }
    });
  }

  /**
   * rpc_broadcast (what {@code rpcinfo -b} does) from another host on the network reaches an Onyx
   * UDP server through the Onyx directory on every address's port 111: its CALLIT forwards the
   * NULL call and answers with the server's address. The server listens on every address, as one
   * that wants to be found by broadcast must: the directory forwards a datagram from elsewhere to
   * no program that listens on loopback only ({@link IndirectCallsTest}).
   */
  @Test
  @Order(6)
  void aCBroadcastReachesAnOnyxServerThroughTheOnyxDirectory() throws Exception {
    NativeTools.require("rpcgen", "gcc");
    Path broadcast = buildCBroadcast();
    try (PeerNetworks networks = PeerNetworks.create(tools(), "198.51.100");
        LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().port(Portmap.PORT).directory(table)
            .build().start();
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer server = onyxServer(remote, ANY)) {
      awaitRegistered(remote);
      assertAnswered(server.port(), networks.runIn(
          networks.peers().get(0), broadcast.toString(), PROG, "1", Integer.toString(server.port())));
    }
  }

  /** The same through Debian's rpcbind, remote calls on: its CALLIT forwards to the Onyx server. */
  @Test
  @Order(7)
  void aCBroadcastReachesAnOnyxServerThroughDebianRpcbind() throws Exception {
    NativeTools.require("rpcbind", "rpcgen", "gcc");
    Path broadcast = buildCBroadcast();
    try (PeerNetworks networks = PeerNetworks.create(tools(), "198.51.100")) {
      tools().withDebianRpcbind(() -> {
        try (RemoteDirectory debian = RemoteDirectory.at("127.0.0.1");
            RpcServer server = onyxServer(debian, ANY)) {
          awaitRegistered(debian);
          assertAnswered(server.port(), networks.runIn(
              networks.peers().get(0), broadcast.toString(), PROG, "1", Integer.toString(server.port())));
        }
      });
    }
  }

  /**
   * A host on two networks, as many NFS servers are: the Onyx directory answers a caller on each
   * with this host's address on that network for a server bound to every address (as rpcbind's
   * addrmerge does), so rpcgen's client there reaches it; an address on the other network is
   * unreachable from it.
   */
  @Test
  @Order(8)
  void eachNetworkOfAMultiHomedHostIsAnsweredWithItsOwnAddress() throws Exception {
    NativeTools.require("rpcinfo", "rpcgen", "gcc");
    Path client = tools().rpcgenClient();
    try (PeerNetworks networks = PeerNetworks.create(tools(), "198.51.100", "203.0.113");
        LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().port(Portmap.PORT).directory(table)
            .build().start();
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer server = onyxServer(remote, ANY)) {
      awaitRegistered(remote);
      int port = server.port();
      for (PeerNetworks.Peer peer : networks.peers()) {
        String host = peer.hostAddress();
        String l = networks.runIn(peer, "rpcinfo", "-l", host, PROG, "1");
        for (String netid : List.of("tcp/cots_ord", "udp/clts")) {
          assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+inet/" + netid + "\\s+"
              + Pattern.quote(host + "." + (port >> 8) + "." + (port & 0xff)) + "\\s").matcher(l).find(), l);
        }
        assertEquals("add(2, 40) = 42 over tcp\n", networks.runIn(peer, client.toString(), host, "tcp"));
      }
    }
  }

  /**
   * The broadcast program's answer line. libtirpc also multicasts over udp6 (to ff02::202), which
   * fails while the peer's new link-local address is still tentative: it says so on stderr, which
   * comes with the output.
   */
  private static void assertAnswered(int port, String output) {
    assertTrue(output.lines().anyMatch(("answered from port " + port)::equals), output);
  }

  private void registerAndLookUpThroughRpcbind(Path client) throws Exception {
    try (RemoteDirectory debian = RemoteDirectory.builder().address("127.0.0.1", Portmap.PORT).build()) {
      int port;
      try (RpcServer server = onyxServer(debian)) {
        awaitRegistered(debian);
        port = server.port();
        String p = tools().run("rpcinfo", "-p", "127.0.0.1");
        assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+tcp\\s+" + port + "\\b").matcher(p).find(), p);

        List<ServiceInstance> found = debian.lookup(TestService.PROGRAM, 1);
        assertTrue(found.stream().anyMatch(i -> i.netid().equals("tcp")
            && i.socketAddress().getPort() == port), found.toString());
        assertEquals(List.of(), debian.lookup(NAME), "rpcbind has no names");
        assertFalse(debian.keepsNames(), "and says so");
        try (DirectoryClient c = DirectoryClient.builder().directory(debian)
            .program(TestService.PROGRAM, 1).build()) {
          assertEquals(42, c.call(TestService.ADD, new TestService.Pair(2, 40)));
        }
        cClientCallsTheOnyxServer(client);
      }
      String after = tools().run("rpcinfo", "-p", "127.0.0.1");
      assertFalse(after.contains(PROG), "the server withdrew its entries on close:\n" + after);
    }
  }

  private static RpcServer onyxServer(Directory directory) throws Exception {
    return onyxServer(directory, InetAddress.getLoopbackAddress());
  }

  private static RpcServer onyxServer(Directory directory, InetAddress bind) throws Exception {
    return RpcServer.builder()
        .bind(bind, 0)
        .directory(directory)
        .serviceName(TestService.PROGRAM, NAME)
        .addService(new TestService().definition())
        .build()
        .start();
  }

  /** start() returns before the registration on a busy machine: wait for it. */
  private static void awaitRegistered(Directory directory) throws InterruptedException {
    NamesAndLeasesTest.awaitTrue(() -> directory.lookup(TestService.PROGRAM, 1).size() >= 2,
        Duration.ofSeconds(20));
  }

  /** rpc_broadcast_exp as rpcinfo -b calls it, stopping at the first answer from the wanted port. */
  private Path buildCBroadcast() throws Exception {
    tools().write("broadcast.c", """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <rpc/rpc.h>

        static int wanted;

        /* Each answer: the answering server's address (from the CALLIT reply). */
        static bool_t answered(caddr_t result, struct netbuf *who, struct netconfig *nconf) {
          char *uaddr = taddr2uaddr(nconf, who);
          char *low = uaddr == NULL ? NULL : strrchr(uaddr, '.');
          int port = -1;
          if (low != NULL) {
            *low = '\\0';
            char *high = strrchr(uaddr, '.');
            port = high == NULL ? -1 : atoi(high + 1) * 256 + atoi(low + 1);
          }
          free(uaddr);
          if (port != wanted) {
            return FALSE; /* another server on the network: wait for ours */
          }
          printf("answered from port %d\\n", port);
          return TRUE;
        }

        /* Broadcasts PROG VERS's NULL procedure over UDP to every network's port 111. */
        int main(int argc, char **argv) {
          if (argc != 4) {
            fprintf(stderr, "usage: %s prog vers port\\n", argv[0]);
            return 2;
          }
          wanted = atoi(argv[3]);
          enum clnt_stat status = rpc_broadcast_exp(strtoul(argv[1], NULL, 0),
              strtoul(argv[2], NULL, 0), NULLPROC, (xdrproc_t) xdr_void, NULL,
              (xdrproc_t) xdr_void, NULL, (resultproc_t) answered, 200, 10000, "udp");
          if (status != RPC_SUCCESS) {
            fprintf(stderr, "rpc_broadcast: %s\\n", clnt_sperrno(status));
            return 1;
          }
          return 0;
        }
        """);
    tools().run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE,
        "-o", "broadcast", "broadcast.c", "-ltirpc");
    return work.resolve("broadcast");
  }
}
