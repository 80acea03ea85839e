package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * A C client on another host of the link (a {@link PeerNetworks} namespace) that asks this host's
 * directory at its link-local address, {@code rpcinfo -T tcp6 fe80::45:1%onyxpeer0p}, as a host
 * with no global IPv6 address can only ask it: a server on the wildcard is answered at this host's
 * link-local address on the caller's link ({@code fe80::45:1}, the scope left to the caller, who
 * asked there), as Debian's rpcbind answers it, and the client calls it there. Before, the
 * directory answered this host's first global address, of another interface ({@code fd00::2} on
 * a CI container's eth0), where the caller has no route: "RPC: Remote system error - Network is
 * unreachable". Each side's link has one link-local address, without duplicate address
 * detection, so that it is usable at once and the one answered.
 */
@ResourceLock("port 111")
class LinkLocalCallersInteropTest {
  private static final String PROGRAM = Integer.toString(TestService.PROGRAM);
  private static final String HOST = "fe80::45:1";

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("rpcinfo", "ip");

  private NativeTools tools() {
    return port111.tools();
  }

  @Test
  @SuppressWarnings("try") // the directory server is held open by try-with-resources
  void aLinkLocalCallerIsAnsweredWithThisHostsLinkLocalAddress() throws Exception {
    try (PeerNetworks networks = linkLocalPeer();
        LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().port(Portmap.PORT).directory(table)
            .build().start()) {
      assertAnsweredOnTheLink(networks, "rpcinfo: can't contact rpcbind: : RPC: Remote system error");
    }
  }

  /** The same through Debian's rpcbind: the same answers. */
  @Test
  void theSameThroughDebiansRpcbind() throws Exception {
    NativeTools.require("rpcbind");
    try (PeerNetworks networks = linkLocalPeer()) {
      tools().withDebianRpcbind(() -> assertAnsweredOnTheLink(networks, PROGRAM));
    }
  }

  /**
   * A Java client of a host on the link that reaches the directory at its link-local address
   * ({@code fe80::45:1%onyxpeer0h}, this process's own, so that no second JVM runs in the
   * namespace: the kernel gives the directory the same scoped caller) finds the server at
   * {@code fe80::45:1.p1.p2} and calls it there, over TCP and UDP, through
   * {@link RemoteDirectory#address}, a {@link DirectoryClient} and {@link RemoteDirectory#socketAddress}.
   * A universal address has no scope; the answer is on the directory's link, so it takes the
   * directory's scope, as libtirpc's {@code __rpc_fixup_addr} does for a C client. Before, the
   * calls failed "UNAVAILABLE: cannot reach tcp fe80:0:0:0:0:0:45:1:... Invalid argument" (a
   * link-local connect without a scope).
   */
  @Test
  @SuppressWarnings("try") // the directory server is held open by try-with-resources
  void aJavaClientCallsWhatALinkLocalDirectoryAnswers() throws Exception {
    try (PeerNetworks networks = linkLocalPeer();
        LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().port(Portmap.PORT).directory(table)
            .build().start();
        RpcServer server = RpcServer.builder().bind(InetAddress.getByName("::"), 0)
            .addService(new TestService().definition()).build().start()) {
      // IPv6 entries alone: this process is on the directory's machine, so an IPv4 wildcard
      // entry would be answered as 127.0.0.1 and taken first.
      String wildcard = "::." + (server.port() >> 8) + "." + (server.port() & 0xff);
      table.table().set(new ServiceInstance("", TestService.PROGRAM, 1, "tcp6", wildcard, "superuser"));
      table.table().set(new ServiceInstance("", TestService.PROGRAM, 1, "udp6", wildcard, "superuser"));
      String scoped = HOST + "%" + networks.peers().get(0).hostSide();
      InetSocketAddress expected = new InetSocketAddress(InetAddress.getByName(scoped), server.port());
      try (RemoteDirectory linkLocal = RemoteDirectory.at(scoped)) {
        List<ServiceInstance> found = linkLocal.lookup(TestService.PROGRAM, 1);
        assertEquals(2, found.size(), found.toString());
        for (ServiceInstance i : found) {
          assertEquals(HOST + "." + (server.port() >> 8) + "." + (server.port() & 0xff), i.address(), i.toString());
        }
        for (Transport transport : new Transport[] {Transport.TCP, Transport.UDP}) {
          try (DirectoryClient client = DirectoryClient.builder().directory(linkLocal)
              .program(TestService.PROGRAM, 1).transport(transport).build()) {
            assertEquals("found " + transport, client.call(TestService.ECHO, "found " + transport));
          }
          InetSocketAddress at = linkLocal.address(TestService.PROGRAM, 1, transport);
          assertEquals(expected, at, transport.toString());
          try (RpcClient client = RpcClient.builder().address(at).transport(transport).build()) {
            assertEquals("direct " + transport, client.call(TestService.ECHO, "direct " + transport));
          }
        }
        for (ServiceInstance i : found) {
          assertEquals(expected, linkLocal.socketAddress(i), i.toString());
        }
      }
    }
  }

  /** A peer whose link has one link-local address on each side: fe80::45:1 here, ::45:2 there. */
  private PeerNetworks linkLocalPeer() throws Exception {
    PeerNetworks networks = PeerNetworks.create(tools(), "198.51.100");
    try {
      PeerNetworks.Peer peer = networks.peers().get(0);
      tools().run("ip", "-6", "addr", "flush", "dev", peer.hostSide(), "scope", "link");
      tools().run("ip", "-6", "addr", "add", HOST + "/64", "dev", peer.hostSide(), "nodad");
      tools().run("ip", "-n", peer.namespace(), "-6", "addr", "flush", "dev", "onyxpeer0p", "scope", "link");
      tools().run("ip", "-n", peer.namespace(), "-6", "addr", "add", "fe80::45:2/64", "dev", "onyxpeer0p", "nodad");
    } catch (Exception | AssertionError e) {
      networks.close();
      throw e;
    }
    return networks;
  }

  /**
   * An Onyx server on the wildcard, registered; the peer finds and calls it over tcp6 and udp6.
   * {@code rpcinfo -s -T udp6}'s output holds {@code dumpOverUdp}.
   */
  private void assertAnsweredOnTheLink(PeerNetworks networks, String dumpOverUdp) throws Exception {
    try (RemoteDirectory local = RemoteDirectory.at("127.0.0.1");
        RpcServer server = RpcServer.builder().bind(InetAddress.getByName("::"), 0).directory(local)
            .addService(new TestService().definition()).build().start()) {
      NamesAndLeasesTest.awaitTrue(() -> local.lookup(TestService.PROGRAM, 1).size() >= 4, Duration.ofSeconds(20));
      PeerNetworks.Peer peer = networks.peers().get(0);
      String at = HOST + "%onyxpeer0p";
      int port = server.port();
      String l = networks.runIn(peer, "rpcinfo", "-l", "-T", "tcp6", at, PROGRAM, "1");
      for (String netid : new String[] {"tcp/cots_ord", "udp/clts"}) {
        assertTrue(Pattern.compile("(?m)^\\s*" + PROGRAM + "\\s+1\\s+inet6/" + netid + "\\s+"
            + Pattern.quote(HOST + "." + (port >> 8) + "." + (port & 0xff)) + "\\s").matcher(l).find(), l);
      }
      // Over UDP a reply to another host is bounded (Amplification): one entry at least, the
      // caller's netid's (udp6, which it can call over the transport it used), never an empty
      // list, which rpcinfo reads as "No remote programs registered". Debian's rpcbind lists both.
      String overUdp = networks.runIn(peer, "rpcinfo", "-l", "-T", "udp6", at, PROGRAM, "1");
      assertTrue(Pattern.compile("(?m)^\\s*" + PROGRAM + "\\s+1\\s+inet6/udp/clts\\s+"
          + Pattern.quote(HOST + "." + (port >> 8) + "." + (port & 0xff)) + "\\s").matcher(overUdp).find(), overUdp);
      // A DUMP over UDP: rpcbind lists every program; no entry of it fits the directory's bound,
      // so it says so (SYSTEM_ERR) rather than list none, which rpcinfo printed as "No remote
      // programs registered.".
      NativeTools.Result dump = tools().runAllowingFailure("ip", "netns", "exec", peer.namespace(),
          NativeTools.find("rpcinfo"), "-s", "-T", "udp6", at);
      assertFalse(dump.output().contains("No remote programs registered"), dump.toString());
      assertTrue(dump.output().contains(dumpOverUdp), dump.toString());
      for (String netid : new String[] {"tcp6", "udp6"}) {
        assertEquals(new NativeTools.Result(0, "program " + PROGRAM + " version 1 ready and waiting\n"),
            tools().runAllowingFailure("ip", "netns", "exec", peer.namespace(), NativeTools.find("rpcinfo"),
                "-T", netid, at, PROGRAM, "1"), netid);
      }
    }
  }
}
