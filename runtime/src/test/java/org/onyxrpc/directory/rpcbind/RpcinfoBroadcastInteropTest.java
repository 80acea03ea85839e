package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;

/**
 * {@code rpcinfo -b PROG VERS}, the system's own binary, against the Onyx directory on every
 * address's port 111 and an Onyx server it lists: rpcinfo broadcasts rpcbind's CALLIT of the NULL
 * procedure (and portmap's), the directory forwards it to the server, and rpcinfo prints one line
 * per reply, the server's universal address on the network the reply came from (its IPv4
 * address there, or over udp6 the host's link-local one) and the host's name. rpcinfo broadcasts
 * until its timeout and exits 0 whatever it heard: the lines are what count. From a host on the
 * network (a {@link PeerNetworks} namespace) and from this host itself; a version that is not
 * served hears nothing; {@code rpcinfo -b 100000 2} finds the directory itself. (libtirpc's
 * broadcast calls, which rpcinfo makes, are {@link ClntBroadcastInteropTest}'s.)
 */
@ResourceLock("port 111")
class RpcinfoBroadcastInteropTest {
  private static final InetAddress ANY = new InetSocketAddress(0).getAddress();
  private static final String PROG = Integer.toString(TestService.PROGRAM);

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("rpcinfo", "ip");

  @Test
  void rpcinfoBroadcastFromAnotherHostFindsTheOnyxServer() throws Exception {
    withOnyxServer((networks, server) -> {
      PeerNetworks.Peer peer = networks.peers().get(0);
      NativeTools.Result r = port111.tools().runAllowingFailure("ip", "netns", "exec",
          peer.namespace(), NativeTools.find("rpcinfo"), "-b", PROG, "1");
      List<String> replies = replies(r.output());
      assertTrue(replies.contains(peer.hostAddress() + universalPort(server)), r.output());
      assertTrue(replies.stream().allMatch(a -> a.endsWith(universalPort(server))), r.output());
      assertEquals(0, r.exit(), r.output());
    });
  }

  @Test
  void rpcinfoBroadcastFromThisHostFindsTheOnyxServer() throws Exception {
    withOnyxServer((networks, server) -> {
      String host = networks.peers().get(0).hostAddress();
      NativeTools.Result r = port111.tools().runAllowingFailure("rpcinfo", "-b", PROG, "1");
      List<String> replies = replies(r.output());
      assertTrue(replies.contains(host + universalPort(server)), r.output());
      assertTrue(replies.stream().allMatch(a -> a.endsWith(universalPort(server))
          && !a.startsWith("127.")), r.output());
    });
  }

  /**
   * {@code rpcinfo -b 100000 2}, rpcbind's own program: the directory forwards its NULL procedure
   * to itself, as rpcbind does, and rpcinfo finds it at port 111.
   */
  @Test
  void rpcinfoBroadcastFindsTheOnyxDirectoryItself() throws Exception {
    withOnyxServer((networks, server) -> {
      PeerNetworks.Peer peer = networks.peers().get(0);
      NativeTools.Result r = port111.tools().runAllowingFailure("ip", "netns", "exec",
          peer.namespace(), NativeTools.find("rpcinfo"), "-b", Integer.toString(Portmap.PROGRAM), "2");
      assertTrue(replies(r.output()).contains(peer.hostAddress() + ".0.111"), r.output());
      assertEquals(0, r.exit(), r.output());
    });
  }

  /** Version 2 of the program is not served: no reply, and rpcinfo says only that it timed out. */
  @Test
  void rpcinfoBroadcastOfAVersionNotServedHearsNothing() throws Exception {
    withOnyxServer((networks, server) -> {
      PeerNetworks.Peer peer = networks.peers().get(0);
      NativeTools.Result r = port111.tools().runAllowingFailure("ip", "netns", "exec",
          peer.namespace(), NativeTools.find("rpcinfo"), "-b", PROG, "2");
      assertEquals(List.of(), replies(r.output()), r.output());
      assertEquals(0, r.exit(), r.output());
    });
  }

  /** The universal addresses rpcinfo printed, one per reply ("UADDR\tHOSTNAME"). */
  private static List<String> replies(String output) {
    return output.lines().filter(line -> line.contains("\t"))
        .map(line -> line.split("\t")[0]).toList();
  }

  /** ".P1.P2", the end of a universal address of the server's port. */
  private static String universalPort(RpcServer server) {
    return "." + (server.port() >> 8) + "." + (server.port() & 0xff);
  }

  private interface WithServer {
    void run(PeerNetworks networks, RpcServer server) throws Exception;
  }

  /** A peer network, the Onyx directory on port 111, an Onyx server registered there. */
  @SuppressWarnings("try") // the directory server is held open by try-with-resources
  private void withOnyxServer(WithServer test) throws Exception {
    try (PeerNetworks networks = PeerNetworks.create(port111.tools(), "198.51.100");
        LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().port(Portmap.PORT).directory(table)
            .build().start();
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer server = RpcServer.builder().bind(ANY, 0).directory(remote)
            .addService(new TestService().definition()).build().start()) {
      NamesAndLeasesTest.awaitTrue(() -> remote.lookup(TestService.PROGRAM, 1).size() >= 2,
          Duration.ofSeconds(20));
      test.run(networks, server);
    }
  }
}
