package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
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
 * libtirpc's {@code rpc_broadcast} over udp6, from another host on the network (a {@link
 * PeerNetworks} namespace, whose veth has its link-local IPv6 address): IPv6 has no broadcast, so
 * libtirpc sends rpcbind's CALLIT to the RPC multicast group {@code ff02::202}
 * ({@code RPCB_MULTICAST_ADDR}) on each multicast interface. The Onyx directory on every
 * address's port 111 joins that group on each such interface with its wildcard socket, as
 * rpcbind's {@code network_init} means to ({@link org.onyxrpc.internal.rpcbind.RpcbindGroup}), and
 * forwards the NULL call to the Onyx server, whose udp6 address answers the program. Before, it
 * joined none and the program heard only the IPv4 broadcast's answers. Run on the default epoll
 * transport, which turns {@code IPV6_MULTICAST_ALL} off on its sockets (so a membership held by
 * another socket, as rpcbind holds it, would not do); NIO ({@code -Dorg.onyxrpc.noEpoll=true})
 * passes too.
 */
@ResourceLock("port 111")
class Udp6BroadcastInteropTest {
  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("gcc", "ip");

  private NativeTools tools() {
    return port111.tools();
  }

  @Test
  void rpcBroadcastOverUdp6FromAnotherHostReachesAnOnyxServerThroughTheDirectory() throws Exception {
    Path broadcast = buildUdp6Broadcast();
    try (PeerNetworks networks = PeerNetworks.create(tools(), "198.51.100");
        LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().port(Portmap.PORT).directory(table)
            .build().start();
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer server = RpcServer.builder().bind(InetAddress.getByName("::"), 0).directory(remote)
            .addService(new TestService().definition()).build().start()) {
      NamesAndLeasesTest.awaitTrue(() -> remote.lookup(TestService.PROGRAM, 1).stream()
          .anyMatch(i -> i.netid().equals("udp6")), Duration.ofSeconds(20));
      PeerNetworks.Peer peer = networks.peers().get(0);
      String port = "." + (server.port() >> 8) + "." + (server.port() & 0xff);
      // The peer's link-local address is tentative for a second or two after its link came up:
      // libtirpc's sends fail until then ("cannot send broadcast packet", on stderr, which comes
      // with the output), and it sends again for up to 10 s.
      String output = networks.runIn(peer, broadcast.toString(), Integer.toString(TestService.PROGRAM), "1");
      assertTrue(output.lines().anyMatch(line -> line.startsWith("udp6 reply from ") && line.endsWith(port)),
          output);
    }
  }

  /**
   * rpc_broadcast_exp of PROG VERS's NULL procedure over "udp" (libtirpc takes udp and udp6 for
   * it), printing each reply's netid and universal address, stopping at the first over udp6.
   */
  private Path buildUdp6Broadcast() throws Exception {
    tools().write("udp6_broadcast.c", """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <rpc/rpc.h>

        static bool_t each(caddr_t result, struct netbuf *who, struct netconfig *netconfig) {
          char *uaddr = taddr2uaddr(netconfig, who);
          printf("%s reply from %s\\n", netconfig->nc_netid, uaddr == NULL ? "?" : uaddr);
          free(uaddr);
          return strcmp(netconfig->nc_netid, "udp6") == 0;
        }

        int main(int argc, char **argv) {
          if (argc != 3) {
            fprintf(stderr, "usage: %s prog vers\\n", argv[0]);
            return 2;
          }
          setvbuf(stdout, NULL, _IOLBF, 0);
          enum clnt_stat status = rpc_broadcast_exp(strtoul(argv[1], NULL, 0),
              strtoul(argv[2], NULL, 0), NULLPROC, (xdrproc_t) xdr_void, NULL,
              (xdrproc_t) xdr_void, NULL, (resultproc_t) each, 200, 10000, "udp");
          printf("rpc_broadcast: %s\\n", clnt_sperrno(status));
          return 0;
        }
        """);
    tools().run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE,
        "-o", "udp6_broadcast", "udp6_broadcast.c", "-ltirpc");
    return work.resolve("udp6_broadcast");
  }
}
