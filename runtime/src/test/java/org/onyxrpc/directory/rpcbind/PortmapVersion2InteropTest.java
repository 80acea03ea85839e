package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * Onyx and a portmapper that speaks version 2 only (src/test/c/portmap/portmap_v2.c, built on
 * libtirpc), as the old portmap daemon and small embedded ones do: it answers rpcbind's versions
 * 3 and 4 with PROG_MISMATCH 2..2. A {@link RemoteDirectory} then finds programs in DUMP and
 * registers a server's IPv4 TCP and UDP entries with SET, all that version 2 can hold.
 */
class PortmapVersion2InteropTest {
  private static final InetAddress ANY = new InetSocketAddress(0).getAddress();

  @TempDir Path work;

  @Test
  void onyxFindsAndCallsAServerThroughAVersion2Portmapper() throws Exception {
    try (NativeTools tools = new NativeTools(work);
        RpcServer target = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .addService(new TestService().definition()).build().start()) {
      int portmapper = startPortmapper(tools);
      try (RpcClient raw = RpcClient.builder().address("127.0.0.1", portmapper).build()) {
        for (int protocol : new int[] {Portmap.IPPROTO_TCP, Portmap.IPPROTO_UDP}) {
          assertTrue(raw.call(Portmap.SET,
              new Portmap.Mapping(TestService.PROGRAM, 1, protocol, target.port())));
        }
      }
      try (RemoteDirectory v2 = RemoteDirectory.at("127.0.0.1", portmapper)) {
        String address = "127.0.0.1." + (target.port() >> 8) + "." + (target.port() & 0xff);
        assertEquals(List.of(
                new ServiceInstance("", TestService.PROGRAM, 1, "tcp", address, ""),
                new ServiceInstance("", TestService.PROGRAM, 1, "udp", address, "")),
            v2.lookup(TestService.PROGRAM, 1));
        assertEquals(List.of(), v2.lookup(TestService.PROGRAM, 2));
        for (Transport transport : List.of(Transport.TCP, Transport.UDP)) {
          try (DirectoryClient c = DirectoryClient.builder().directory(v2)
              .program(TestService.PROGRAM, 1).transport(transport).build()) {
            assertEquals(42, c.call(TestService.ADD, new TestService.Pair(2, 40)), transport.name());
          }
        }
      }
    }
  }

  /**
   * A server on every address has IPv6 entries too, which version 2 cannot hold: they are left
   * out rather than failing the registration of the IPv4 ones after them.
   */
  @Test
  void anOnyxServerRegistersWithAVersion2Portmapper() throws Exception {
    try (NativeTools tools = new NativeTools(work)) {
      int portmapper = startPortmapper(tools);
      try (RpcClient raw = RpcClient.builder().address("127.0.0.1", portmapper).build();
          RemoteDirectory v2 = RemoteDirectory.at("127.0.0.1", portmapper)) {
        int port;
        try (RpcServer server = RpcServer.builder().bind(ANY, 0).directory(v2)
            .addService(new TestService().definition()).build().start()) {
          port = server.port();
          Set<Portmap.Mapping> expected = Set.of(
              new Portmap.Mapping(TestService.PROGRAM, 1, Portmap.IPPROTO_TCP, port),
              new Portmap.Mapping(TestService.PROGRAM, 1, Portmap.IPPROTO_UDP, port));
          NamesAndLeasesTest.awaitTrue(() -> Set.copyOf(raw.call(Portmap.DUMP, null)).equals(expected),
              Duration.ofSeconds(20));
        }
        assertEquals(List.of(), raw.call(Portmap.DUMP, null), "withdrawn on close");
      }
    }
  }

  private static int startPortmapper(NativeTools tools) throws Exception {
    NativeTools.require("gcc");
    Path binary = tools.work().resolve("portmap_v2");
    Path source = source();
    Path common = source.getParent().resolveSibling("common");
    tools.run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-I" + common, "-o",
        binary.toString(), source.toString(), common.resolve("same_port.c").toString(), "-ltirpc");
    return Integer.parseInt(tools.startAndReadLine(binary.toString(), "120"));
  }

  /** portmap_v2.c, from the module or from the repository root. */
  private static Path source() {
    for (String candidate : List.of("src/test/c/portmap", "runtime/src/test/c/portmap")) {
      Path file = Path.of(candidate, "portmap_v2.c").toAbsolutePath();
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new IllegalStateException("cannot find src/test/c/portmap from " + Path.of("").toAbsolutePath());
  }
}
