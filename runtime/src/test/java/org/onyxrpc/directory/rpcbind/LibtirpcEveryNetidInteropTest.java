package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;

/**
 * libtirpc's rpcb_set, rpcb_getaddr, rpcb_uaddr2taddr, rpcb_taddr2uaddr and rpcb_unset over
 * every netid rpcbind serves, tcp6, udp6 and local among them (src/test/c/rpcbind/getaddr_netids.c),
 * against the Onyx directory on port 111 of every address with its local socket, and against
 * Debian's rpcbind: one transcript (expected-getaddr-netids.txt), a wildcard answered as the
 * caller's loopback of its family, and a socket path converted to a {@code sockaddr_un} and back
 * as rpcbind converts it. The one difference: rpcbind converts a universal address by the
 * family of the transport the call came over, here its local socket, so it turns tcp6's
 * {@code ::1.16.227} into 5 bytes that read back as {@code ::1}; the directory reads the address
 * itself and answers a {@code sockaddr_in6}.
 */
@ResourceLock("port 111")
class LibtirpcEveryNetidInteropTest {
  private static final String PROGRAM = "0x20000998";

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("gcc", "rpcbind")
      .registeringThroughTheRpcbindSocket("libtirpc registers through");

  private NativeTools tools() {
    return port111.tools();
  }

  @Test
  void everyNetidAsDebiansRpcbindAnswers() throws Exception {
    Path sources = TransportIndependentCPeersInteropTest.sources();
    Path binary = work.resolve("getaddr_netids");
    tools().run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-o", binary.toString(),
        sources.resolve("getaddr_netids.c").toString(), "-ltirpc");
    String expected = Files.readString(sources.resolve("expected-getaddr-netids.txt"), StandardCharsets.UTF_8);
    boolean hadSocket = Files.exists(NativeTools.RPCBIND_SOCKET);
    try {
      try (LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
          DirectoryServer directory = DirectoryServer.builder().port(Portmap.PORT).directory(table)
              .localSocket(NativeTools.RPCBIND_SOCKET).build().start()) {
        assertEquals(expected, tools().run(binary.toString(), PROGRAM), "the Onyx directory");
      }
      NativeTools.awaitPort111();
      String rpcbindConverts = expected
          .replace("(tcp6, ::1.16.227) -> 28 bytes, rpcb_taddr2uaddr -> ::1.16.227",
              "(tcp6, ::1.16.227) -> 5 bytes, rpcb_taddr2uaddr -> ::1")
          .replace("(udp6, fe80::1.0.111) -> 28 bytes, rpcb_taddr2uaddr -> fe80::1.0.111",
              "(udp6, fe80::1.0.111) -> 9 bytes, rpcb_taddr2uaddr -> fe80::1");
      tools().withDebianRpcbind(() ->
          assertEquals(rpcbindConverts, tools().run(binary.toString(), PROGRAM), "Debian's rpcbind"));
    } finally {
      if (!hadSocket) {
        Files.deleteIfExists(NativeTools.RPCBIND_SOCKET);
      }
    }
  }
}
