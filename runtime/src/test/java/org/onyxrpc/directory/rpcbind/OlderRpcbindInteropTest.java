package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * {@link OlderRpcbindLookupTest} against Debian's rpcbind, whose GETADDR answers for the netid of
 * the transport the call came over (TCP, from a {@link RemoteDirectory}), not the one asked
 * for: without GETADDRLIST, a look-up must read DUMP, or a UDP client is sent to the TCP port.
 * The TCP and UDP servers of one program version listen on different ports here, and each is
 * called where the look-up finds it, through rpcbind without GETADDRLIST, as version 3 only and
 * as portmap version 2 only. Owns port 111 while it runs, as {@link RpcbindInteropTest} does.
 */
@ResourceLock("port 111")
class OlderRpcbindInteropTest {
  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work);

  private NativeTools tools() {
    return port111.tools();
  }

  @Test
  void tcpAndUdpServersAreFoundAtTheirOwnPortsThroughAnOlderDebianRpcbind() throws Exception {
    NativeTools.require("rpcbind", "rpcinfo");
    tools().withDebianRpcbind(() -> {
      try (RemoteDirectory debian = RemoteDirectory.at("127.0.0.1");
          RpcServer tcp = server(debian, Transport.TCP);
          RpcServer udp = server(debian, Transport.UDP)) {
        assertNotEquals(tcp.port(), udp.port(), "the test needs the TCP and UDP ports apart");
        NamesAndLeasesTest.awaitTrue(() -> debian.lookup(TestService.PROGRAM, 1).size() >= 2,
            Duration.ofSeconds(20));
        for (int highest : new int[] {4, 3, Portmap.VERSION}) {
          try (OlderRpcbind older = new OlderRpcbind(
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), Portmap.PORT), highest);
              RemoteDirectory directory = RemoteDirectory.at("127.0.0.1", older.port())) {
            String versions = "rpcbind versions up to " + highest;
            assertEquals(tcp.port(), directory.address(TestService.PROGRAM, 1, Transport.TCP).getPort(), versions);
            assertEquals(udp.port(), directory.address(TestService.PROGRAM, 1, Transport.UDP).getPort(), versions);
            for (Transport transport : List.of(Transport.TCP, Transport.UDP)) {
              try (DirectoryClient c = DirectoryClient.builder().directory(directory)
                  .program(TestService.PROGRAM, 1).transport(transport).build()) {
                assertEquals(42, c.call(TestService.ADD, new TestService.Pair(2, 40)), versions + ", " + transport);
              }
            }
          }
        }
      }
    });
  }

  /** A TestService server over one transport, registered with {@code directory}. */
  private static RpcServer server(Directory directory, Transport transport) throws Exception {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(transport)
        .directory(directory).addService(new TestService().definition()).build().start();
  }
}
