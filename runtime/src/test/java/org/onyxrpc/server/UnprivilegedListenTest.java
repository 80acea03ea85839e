package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server started by a user who is not root on the directory's port 111 fails saying who may
 * bind it (ListenFailures). As root (CI), the server runs in a JVM of its own as nobody, through
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
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    String said = uid == 0 ? asNobody() : listen();
    assertEquals(HINT, said);
  }

  private String asNobody() throws IOException, InterruptedException {
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
        "--clear-groups", java, "-cp", String.join(File.pathSeparator, copied), UnprivilegedListenTest.class.getName());
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

  /** Starts a server on port 111 and prints why it could not (the child's work). */
  public static void main(String[] args) {
    System.out.println(listen());
  }

  private static String listen() {
    try (RpcServer server = RpcServer.builder().port(111)
        .addService(ServiceDefinition.builder(0x20000777, 1).build()).build().start()) {
      return "listening on port " + server.port() + ": this user may bind port 111";
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
