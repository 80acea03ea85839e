package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * libtirpc's local transport (netid {@code "local"}: record marking over a Unix-domain socket)
 * through an Onyx directory on this machine (src/test/c/local/local_peer.c): a C client's {@code
 * clnt_tp_create} on the netconfig entry "local" asks the directory, over rpcbind's own socket,
 * for an Onyx server's Unix socket and calls it there, as {@code rpcinfo -T local} does; a C
 * server on a Unix socket registers it with {@code svc_reg} on "local", and an Onyx client finds
 * it by program number in the directory and calls it. (libtirpc's {@code clnt_create} takes no
 * nettype that includes "local": a C program names the netconfig entry.)
 */
@ResourceLock("port 111")
class LocalTransportInteropTest {
  private static final Path RPCBIND_SOCKET = NativeTools.RPCBIND_SOCKET;
  private static final String PROG = Integer.toString(TestService.PROGRAM);

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("gcc", "rpcinfo")
      .registeringThroughTheRpcbindSocket("libtirpc finds local entries through");
  private Path peer;
  private boolean hadSocket;

  private NativeTools tools() {
    return port111.tools();
  }

  @BeforeEach
  void build() throws Exception {
    peer = work.resolve("local_peer");
    tools().run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-o", peer.toString(),
        sources().resolve("local_peer.c").toString(), "-ltirpc");
    hadSocket = Files.exists(RPCBIND_SOCKET);
  }

  @AfterEach
  void removeTheSocket() throws Exception {
    tools().close(); // rpcbind stops before its socket goes (the extension then has none)
    if (!hadSocket) {
      Files.deleteIfExists(RPCBIND_SOCKET);
    }
  }

  @Test
  void aCClientFindsAnOnyxUnixSocketServerThroughTheDirectory() throws Exception {
    Path socket = work.resolve("onyx.sock");
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT, RPCBIND_SOCKET);
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer server = RpcServer.builder()
            .bind(InetAddress.getLoopbackAddress(), 0)
            .unixSocket(socket)
            .transports(Transport.TCP, Transport.UNIX)
            .directory(remote)
            .addService(new TestService().definition())
            .build()
            .start()) {
      awaitLocalEntry(directory);
      assertEquals("add(2, 40) = 42 over local\n", tools().run(peer.toString(), "client", "localhost"));
      assertEquals("program " + PROG + " version 1 ready and waiting\n",
          tools().run("rpcinfo", "-T", "local", "localhost", PROG, "1"));
      String l = tools().run("rpcinfo", "-l", "127.0.0.1", PROG, "1");
      assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+loopback/-/cots_ord\\s+"
          + Pattern.quote(socket.toString()) + "\\s").matcher(l).find(), l);
    }
  }

  @Test
  void anOnyxClientFindsACServerOnAUnixSocketThroughTheDirectory() throws Exception {
    Path socket = work.resolve("c.sock");
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT, RPCBIND_SOCKET)) {
      // svc_reg → rpcb_set(local, the socket's path), through rpcbind's own socket.
      assertEquals("registered", tools().startAndReadLine(peer.toString(), "server", socket.toString()));
      assertEquals(List.of(socket.toString()), directory.directory.lookup(TestService.PROGRAM, 1)
          .stream().filter(i -> i.netid().equals("local")).map(i -> i.address()).toList());
      String s = tools().run("rpcinfo", "-s", "127.0.0.1");
      assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+local\\s+-\\s+" + Owners.self() + "\\s*$")
          .matcher(s).find(), s);
      try (RpcClient client = RpcClient.builder()
          .directory(directory.directory, TestService.PROGRAM, 1)
          .transport(Transport.UNIX)
          .timeout(Duration.ofSeconds(10))
          .build()) {
        assertEquals(42, client.call(TestService.ADD, new TestService.Pair(2, 40)),
            "answered by the C server");
      }
      tools().run("rpcinfo", "-d", PROG, "1"); // as its owner, through the local socket
      assertEquals(List.of(), directory.directory.lookup(TestService.PROGRAM, 1));
      NativeTools.Result gone = tools().runAllowingFailure(peer.toString(), "client", "localhost");
      assertFalse(gone.output().contains("= 42"), gone.output());
    }
  }

  /** start() returns before the registration on a busy machine: wait for it. */
  private static void awaitLocalEntry(DirectoryFixture directory) throws InterruptedException {
    NamesAndLeasesTest.awaitTrue(() -> directory.directory.lookup(TestService.PROGRAM, 1).stream()
        .anyMatch(i -> i.netid().equals(Transport.UNIX.netid())), Duration.ofSeconds(20));
  }

  /** src/test/c/local, from the module or from the repository root. */
  private static Path sources() {
    for (String candidate : List.of("src/test/c/local", "runtime/src/test/c/local")) {
      Path dir = Path.of(candidate).toAbsolutePath();
      if (Files.isRegularFile(dir.resolve("local_peer.c"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find src/test/c/local from " + Path.of("").toAbsolutePath());
  }
}
