package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.UdpIo;
import org.onyxrpc.testing.TestService;

/**
 * The old broadcast API, {@code clnt_broadcast}, as programs such as ypbind call it, from another
 * host on the network (a {@link PeerNetworks} namespace): libtirpc broadcasts rpcbind's CALLIT and
 * portmap's, the Onyx directory on every address's port 111 forwards the NULL call to the Onyx
 * server, and the reply handed to the program's {@code eachresult} is the server's own address
 * on that network and its port (not the directory's 111, nor loopback), so the program can call
 * it there. ({@code rpc_broadcast_exp} from another host, the new API, is {@link
 * RpcbindInteropTest}'s.) And a broadcast from this host itself names the server by one address.
 * Both with the server's UDP socket on the event loop and on a thread of its own ({@link UdpIo}).
 */
@ResourceLock("port 111")
class ClntBroadcastInteropTest {
  private static final InetAddress ANY = new InetSocketAddress(0).getAddress();

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("gcc");

  private NativeTools tools() {
    return port111.tools();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(UdpIo.class)
  void clntBroadcastFromAnotherHostGetsTheOnyxServersAddressThroughTheOnyxDirectory(UdpIo io) throws Exception {
    Path broadcast = buildClntBroadcast();
    withOnyxServer(io, (networks, server) -> {
      PeerNetworks.Peer peer = networks.peers().get(0);
      String output = networks.runIn(peer, broadcast.toString(), Integer.toString(TestService.PROGRAM), "1");
      // libtirpc warns on stderr, which comes with the output, of a send that failed while the
      // peer's new link came up ("cannot send broadcast packet"); it sends again.
      assertEquals(List.of("reply from " + peer.hostAddress() + " port " + server.port(),
              "clnt_broadcast: RPC: Success"),
          output.lines().filter(line -> !line.contains("cannot send broadcast packet")).toList(), output);
    });
  }

  /**
   * A broadcast sent from this host itself, as {@code rpcinfo -b} run on a server is: libtirpc
   * sends rpcbind's CALLIT and portmap's on each network, and the directory hears them from this
   * host's own address there. Every reply names the Onyx server by that network's address, as
   * Debian's rpcbind answers, so one server is one address to a program that counts them. The
   * CALLIT replies named it 127.0.0.1 (a caller on this machine was answered with loopback),
   * beside 198.51.100.1 from the portmap replies.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(UdpIo.class)
  void aBroadcastFromThisHostNamesTheServerByOneAddress(UdpIo io) throws Exception {
    Path broadcast = buildRpcBroadcast();
    withOnyxServer(io, (networks, server) -> {
      String host = networks.peers().get(0).hostAddress();
      String port = "." + (server.port() >> 8) + "." + (server.port() & 0xff);
      String output = tools().run(broadcast.toString(), Integer.toString(TestService.PROGRAM), "1");
      List<String> replies = output.lines().filter(line -> line.startsWith("reply from ")).toList();
      assertTrue(replies.contains("reply from " + host + port), output);
      // Other networks of this machine (a CI container's own) answer with their own addresses.
      assertTrue(replies.stream().allMatch(line -> line.endsWith(port) && !line.contains("127.0.0.1")),
          output);
    });
  }

  /** What a test does with the peer networks and the Onyx server its directory lists. */
  private interface WithServer {
    void run(PeerNetworks networks, RpcServer server) throws Exception;
  }

  /**
   * Runs {@code test} with a peer network, the Onyx directory on every address's port 111, and an
   * Onyx server on the wildcard address registered there over TCP and UDP, its UDP socket
   * served as {@code io} says (the directory forwards the calls to it as unicast datagrams).
   */
  @SuppressWarnings("try") // the directory server is held open by try-with-resources
  private void withOnyxServer(UdpIo io, WithServer test) throws Exception {
    try (PeerNetworks networks = PeerNetworks.create(tools(), "198.51.100");
        LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().port(Portmap.PORT).directory(table)
            .build().start();
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer server = RpcServer.builder().bind(ANY, 0).directory(remote).udpIo(io)
            .addService(new TestService().definition()).build().start()) {
      NamesAndLeasesTest.awaitTrue(() -> remote.lookup(TestService.PROGRAM, 1).size() >= 2,
          Duration.ofSeconds(20));
      test.run(networks, server);
    }
  }

  /**
   * rpc_broadcast_exp of PROG VERS's NULL procedure over udp for about a second, printing the
   * universal address of each reply (rpcbind's CALLIT reply says it; portmap's comes from it).
   */
  private Path buildRpcBroadcast() throws Exception {
    tools().write("rpc_broadcast.c", """
        #include <stdio.h>
        #include <stdlib.h>
        #include <rpc/rpc.h>

        static bool_t each(caddr_t result, struct netbuf *who, struct netconfig *netconfig) {
          char *uaddr = taddr2uaddr(netconfig, who);
          printf("reply from %s\\n", uaddr == NULL ? "?" : uaddr);
          free(uaddr);
          return FALSE; /* every reply until the time is up */
        }

        int main(int argc, char **argv) {
          if (argc != 3) {
            fprintf(stderr, "usage: %s prog vers\\n", argv[0]);
            return 2;
          }
          enum clnt_stat status = rpc_broadcast_exp(strtoul(argv[1], NULL, 0),
              strtoul(argv[2], NULL, 0), NULLPROC, (xdrproc_t) xdr_void, NULL,
              (xdrproc_t) xdr_void, NULL, (resultproc_t) each, 200, 1000, "udp");
          printf("rpc_broadcast: %s\\n", clnt_sperrno(status));
          return 0;
        }
        """);
    tools().run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE,
        "-o", "rpc_broadcast", "rpc_broadcast.c", "-ltirpc");
    return work.resolve("rpc_broadcast");
  }

  /** clnt_broadcast of PROG VERS's NULL procedure, stopping at the first reply (TRUE). */
  private Path buildClntBroadcast() throws Exception {
    tools().write("clnt_broadcast.c", """
        #include <arpa/inet.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <rpc/rpc.h>
        #include <rpc/pmap_clnt.h>

        /* Each reply: the address the old API hands over, the server's with its port. */
        static bool_t each(caddr_t result, struct sockaddr_in *server) {
          char host[INET_ADDRSTRLEN];
          printf("reply from %s port %d\\n",
              inet_ntop(AF_INET, &server->sin_addr, host, sizeof host), ntohs(server->sin_port));
          return TRUE;
        }

        int main(int argc, char **argv) {
          if (argc != 3) {
            fprintf(stderr, "usage: %s prog vers\\n", argv[0]);
            return 2;
          }
          enum clnt_stat status = clnt_broadcast(strtoul(argv[1], NULL, 0),
              strtoul(argv[2], NULL, 0), NULLPROC, (xdrproc_t) xdr_void, NULL,
              (xdrproc_t) xdr_void, NULL, (resultproc_t) each);
          printf("clnt_broadcast: %s\\n", clnt_sperrno(status));
          return status == RPC_SUCCESS ? 0 : 1;
        }
        """);
    tools().run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE,
        "-o", "clnt_broadcast", "clnt_broadcast.c", "-ltirpc");
    return work.resolve("clnt_broadcast");
  }
}
