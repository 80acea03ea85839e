package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server started by a user who is not root on the directory's port 111 fails saying who may
 * bind it (ListenFailures), and one on a Unix socket path where another user left a socket file
 * (in /tmp, say) names the file and what to do: before, "Permission denied" alone. As root (CI), the server runs in a JVM of its own as nobody, through
 * setpriv, in a network namespace of its own (whose ip_unprivileged_port_start is the kernel's
 * 1024 whatever a container set), from a copy of the classes nobody may read; as anyone else, in
 * this JVM.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class UnprivilegedListenTest {
  private static final String HINT = "cannot listen on TCP 0.0.0.0:111: Permission denied (ports below 1024 need"
      + " root or CAP_NET_BIND_SERVICE; choose a port from 1024 up)";

  @TempDir
  Path dir;

  @Test
  void port111SaysWhoMayBindIt() throws Exception {
    String said = root() ? asNobody("port111") : listen("port111");
    assertEquals(HINT, said);
  }

  @Test
  void anotherUsersSocketFileThatCannotBeConnectedToIsNamed() throws Exception {
    assumeTrue(root(), "needs a socket file of another user's: run as root, as CI does");
    Path socket = staleSocket("rwxr-xr-x"); // root's, as a umask of 022 leaves it
    assertEquals("cannot listen on " + socket + ": Permission denied: a socket file is there that this user may"
        + " not connect to (another user's?); remove it as its owner or root, or choose another path",
        asNobody("unix:" + socket));
  }

  @Test
  void anotherUsersStaleSocketFileThatCannotBeRemovedIsNamed() throws Exception {
    assumeTrue(root(), "needs a socket file of another user's: run as root, as CI does");
    Path socket = staleSocket("rwxrwxrwx");
    // EPERM: the directory's sticky bit keeps root's file root's.
    assertEquals("cannot listen on " + socket + ": Operation not permitted: a socket file nobody listens on is there"
        + " that this user may not remove (another user's?); remove it as its owner or root, or choose another"
        + " path", asNobody("unix:" + socket));
  }

  private static boolean root() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
  }

  /** A socket file of root's nobody listens on, in a directory like /tmp (sticky, open to all). */
  private Path staleSocket(String mode) throws IOException {
    Path shared = Files.createDirectories(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertEquals(0, runQuietly("chmod", "+t", shared.toString()));
    Path socket = shared.resolve("calc.sock");
    try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      gone.bind(UnixDomainSocketAddress.of(socket));
    }
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(mode));
    return socket;
  }

  private static int runQuietly(String... command) throws IOException {
    try {
      return new ProcessBuilder(command).inheritIO().start().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private String asNobody(String what) throws IOException, InterruptedException {
    Path classes = Files.createDirectories(dir.resolve("cp"));
    List<String> copied = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path from = Path.of(entry);
      String name = from.getFileName().toString();
      if (name.startsWith("netty-") || name.startsWith("slf4j-api") || Files.isDirectory(from)) {
        Path to = classes.resolve(copied.size() + "-" + name);
        copyTree(from, to);
        copied.add(to.toString());
      }
    }
    // The temporary directory is root's, mode 0700: let nobody through to the copy.
    for (Path p : List.of(dir, classes)) {
      assertTrue(p.toFile().setReadable(true, false) && p.toFile().setExecutable(true, false));
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = List.of("unshare", "--net", "setpriv", "--reuid=65534", "--regid=65534",
        "--clear-groups", java, "-cp", String.join(File.pathSeparator, copied), UnprivilegedListenTest.class.getName(), what);
    Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, child.waitFor(), out);
    return out.strip();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    try (var files = Files.walk(to)) {
      files.forEach(p -> {
        assertTrue(p.toFile().setReadable(true, false));
        assertTrue(p.toFile().setExecutable(true, false));
      });
    }
  }

  /** Starts a server on port 111 ("port111") or a socket ("unix:PATH"), prints why it could not (the child's work). */
  public static void main(String[] args) {
    System.out.println(listen(args[0]));
  }

  private static String listen(String what) {
    RpcServerBuilder builder = RpcServer.builder().addService(ServiceDefinition.builder(0x20000777, 1).build());
    builder = what.startsWith("unix:") ? builder.unixSocket(Path.of(what.substring(5))) : builder.port(111);
    try (RpcServer server = builder.build().start()) {
      return "listening: this user may listen there";
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
