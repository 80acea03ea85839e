package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;

/**
 * libtirpc's indirect calls, {@code pmap_rmtcall} (portmap 2's CALLIT over UDP) and
 * {@code rpcb_rmtcall} (rpcbind 4's CALLIT, then 3's, over udp and tcp), to an Onyx server
 * registered with the Onyx directory and with Debian's rpcbind on port 111
 * (src/test/c/rpcbind/rmt_calls.c). rpcbind's transcript is expected-rmt-calls.txt: the echo
 * comes back with the server's port over UDP, and a version the program lacks or a procedure that
 * fails gets no answer (CALLIT is silent when it fails, RFC 1833), nor does any CALLIT over TCP,
 * which rpcbind does not forward. The directory answers the same but for the last: it forwards
 * indirect calls that come over TCP too, as README says.
 */
@ResourceLock("port 111")
class RmtcallInteropTest {
  private static final String PROG = Integer.toString(TestService.PROGRAM);

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("gcc");
  private Path binary;

  private NativeTools tools() {
    return port111.tools();
  }

  @BeforeEach
  void build() throws Exception {
    binary = work.resolve("rmt_calls");
    tools().run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-o", binary.toString(),
        sources().resolve("rmt_calls.c").toString(), "-ltirpc");
  }

  @Test
  void throughDebianRpcbind() throws Exception {
    NativeTools.require("rpcbind");
    tools().withDebianRpcbind(() -> {
      try (RemoteDirectory rpcbind = RemoteDirectory.at("127.0.0.1");
          RpcServer server = onyxServer(rpcbind)) {
        awaitRegistered(rpcbind);
        assertEquals(expected(), tools().run(binary.toString(), "127.0.0.1", PROG,
            Integer.toString(server.port())));
      }
    });
  }

  @Test
  void throughTheOnyxDirectory() throws Exception {
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT);
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer server = onyxServer(remote)) {
      awaitRegistered(remote);
      String forwardedOverTcp = expected().replace("rpcb_rmtcall(tcp, v1, ECHO) -> RPC: Timed out",
          "rpcb_rmtcall(tcp, v1, ECHO) -> RPC: Success, \"hi\", the server's port");
      assertEquals(forwardedOverTcp, tools().run(binary.toString(), "127.0.0.1", PROG,
          Integer.toString(server.port())));
    }
  }

  private static String expected() throws IOException {
    return Files.readString(sources().resolve("expected-rmt-calls.txt"), StandardCharsets.UTF_8);
  }

  private static RpcServer onyxServer(Directory directory) throws Exception {
    return RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .directory(directory)
        .addService(new TestService().definition())
        .build()
        .start();
  }

  /** Waits until the server is registered over TCP and UDP. */
  private static void awaitRegistered(Directory directory) throws InterruptedException {
    NamesAndLeasesTest.awaitTrue(() -> directory.lookup(TestService.PROGRAM, 1).size() >= 2,
        Duration.ofSeconds(20));
  }

  /** src/test/c/rpcbind, from the module or from the repository root. */
  private static Path sources() {
    for (String candidate : List.of("src/test/c/rpcbind", "runtime/src/test/c/rpcbind")) {
      Path dir = Path.of(candidate).toAbsolutePath();
      if (Files.isRegularFile(dir.resolve("rmt_calls.c"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find src/test/c/rpcbind");
  }
}
