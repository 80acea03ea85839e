package org.onyxrpc.cli.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.testing.Unavailable;

/**
 * An rpcgen server of interop.x (the runtime's interop fixture, used where it lives): rpcgen
 * generates its dispatcher and XDR routines at test time and gcc links them with libtirpc. It
 * prints its port and serves TCP and UDP on 127.0.0.1 until stopped.
 *
 * <p>Without rpcgen, gcc or libtirpc's headers the tests are skipped on a developer's machine and
 * fail when the environment variable CI is set, so CI cannot pass without running them.
 */
final class CServer implements AutoCloseable {
  static final Path SOURCES = Path.of("../runtime/src/test/c/interop").toAbsolutePath().normalize();
  /** The sockets of the C test servers (same_port.c), which interop_server.c uses. */
  private static final Path COMMON = SOURCES.resolveSibling("common");
  private static final Path TIRPC = Path.of("/usr/include/tirpc");

  private final OnyxJar.Started process;
  final int port;

  private CServer(OnyxJar.Started process) {
    this.process = process;
    this.port = Integer.parseInt(process.firstLine().trim());
  }

  /** Builds the server in {@code work} and starts it. */
  static CServer start(Path work) throws IOException, InterruptedException {
    requireToolchain();
    for (String f : List.of("interop.x", "interop_server.c", "interop_impl.c")) {
      Files.copy(SOURCES.resolve(f), work.resolve(f));
    }
    run(work, "rpcgen", "-N", "-h", "-o", "interop.h", "interop.x");
    run(work, "rpcgen", "-N", "-c", "-o", "interop_xdr.c", "interop.x");
    run(work, "rpcgen", "-N", "-m", "-o", "interop_svc.c", "interop.x");
    Files.copy(COMMON.resolve("same_port.h"), work.resolve("same_port.h"));
    Files.copy(COMMON.resolve("same_port.c"), work.resolve("same_port.c"));
    run(work, "gcc", "-std=gnu11", "-O1", "-I" + TIRPC, "-I" + work, "-o", "interop_server",
        "interop_server.c", "interop_impl.c", "same_port.c", "interop_svc.c", "interop_xdr.c",
        "-ltirpc");
    Process p = new ProcessBuilder(work.resolve("interop_server").toString(), "300")
        .redirectError(work.resolve("server.stderr").toFile()).start();
    String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
    if (line == null || !line.trim().matches("\\d+")) {
      p.destroyForcibly();
      fail("the C server printed no port: " + line + "\n" + Files.readString(work.resolve("server.stderr")));
    }
    return new CServer(new OnyxJar.Started(p, line));
  }

  @Override
  public void close() {
    process.close();
  }

  private static void run(Path work, String... command) throws IOException, InterruptedException {
    Path log = work.resolve("build.log");
    Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " failed:\n" + Files.readString(log));
    }
  }

  private static void requireToolchain() {
    List<String> missing = new ArrayList<>();
    for (String tool : List.of("rpcgen", "gcc")) {
      boolean found = false;
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool));
      }
      if (!found) {
        missing.add(tool);
      }
    }
    if (!Files.isRegularFile(TIRPC.resolve("rpc/rpc.h"))) {
      missing.add("libtirpc-dev");
    }
    if (missing.isEmpty()) {
      return;
    }
    String message = "the C server needs rpcgen, gcc and libtirpc-dev; missing " + missing;
    Unavailable.because(message);
  }
}
