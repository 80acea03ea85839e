package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.NativeBuilds;
import org.onyxrpc.testing.OpenDescriptors;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.tls.TestCertificates;
import org.onyxrpc.transport.Transport;

/**
 * A Unix-domain peer that hands file descriptors (SCM_RIGHTS) over with its call bytes, 1,000
 * times, to the RPC server's socket and to the directory's local socket: no descriptor is
 * installed in the server (it reads bytes with read(2), and the kernel closes descriptors that
 * come to a read without room for them), each call is answered, and the open descriptors of this
 * process (/proc/self/fd) come back to what they were. Java cannot send descriptors, hence the C
 * peer (src/test/c/fds/fd_passer.c).
 */
class PassedDescriptorsTest {
  private static final int CALLS = 1_000;

  @TempDir Path work;

  private static Path passer() throws Exception {
    TestCertificates.requireTool("gcc", "--version");
    Path source = sources().resolve("fd_passer.c");
    return NativeBuilds.built(new NativeBuilds.Recipe(List.of(source),
        List.of(List.of("gcc", "-std=gnu11", "-O1", "-Wall", "-o", "fd_passer", "fd_passer.c"))))
        .resolve("fd_passer");
  }

  /** Runs the C peer to the end and returns what it printed; fails unless it exits 0. */
  private String pass(Path socket, int calls, int program, int version) throws Exception {
    Path out = Files.createTempFile(work, "fd_passer", ".out");
    Process p = new ProcessBuilder(passer().toString(), socket.toString(), Integer.toString(calls),
        Integer.toUnsignedString(program), Integer.toString(version))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      assertTrue(p.waitFor(2, TimeUnit.MINUTES), "fd_passer did not end");
    } finally {
      p.destroyForcibly();
    }
    String printed = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), printed);
    return printed.strip();
  }

  @Test
  void descriptorsSentToTheServersSocketAreNotKept() throws Exception {
    Path socket = work.resolve("rpc.sock");
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).unixSocket(socket)
        .transports(Transport.TCP, Transport.UNIX).directory(Directory.none())
        .addService(new TestService().definition()).build().start()) {
      // One connection first, so that what a served connection opens once is open already.
      assertEquals("replies 1", pass(socket, 1, TestService.PROGRAM, 1));
      Await.until(() -> server.connections() == 0);
      long baseline = OpenDescriptors.count();

      assertEquals("replies " + CALLS, pass(socket, CALLS, TestService.PROGRAM, 1));
      Await.until(() -> server.connections() == 0);
      // 4,000 were sent; kept, they would stay open here for as long as the server runs.
      Await.until(() -> OpenDescriptors.count() <= baseline);
    }
  }

  @Test
  void descriptorsSentToTheDirectorysLocalSocketAreNotKept() throws Exception {
    Path socket = work.resolve("rpcbind.sock");
    try (DirectoryServer directory = DirectoryServer.builder().bind(InetAddress.getByName("127.0.0.1"), 0)
        .directory(new LocalDirectory(new InMemoryDirectoryStore())).localSocket(socket).build().start()) {
      int rpcbind = 100_000;
      assertEquals("replies 1", pass(socket, 1, rpcbind, 4));
      long baseline = OpenDescriptors.count();

      assertEquals("replies " + CALLS, pass(socket, CALLS, rpcbind, 4));
      // The connection closes after the peer has gone: wait for it, and for nothing more.
      Await.until(() -> OpenDescriptors.count() <= baseline);
    }
  }

  /** src/test/c/fds, from the module or from the repository root. */
  private static Path sources() {
    for (String candidate : List.of("src/test/c/fds", "runtime/src/test/c/fds")) {
      Path dir = Path.of(candidate).toAbsolutePath();
      if (Files.isRegularFile(dir.resolve("fd_passer.c"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find src/test/c/fds from " + Path.of("").toAbsolutePath());
  }
}
