package org.onyxrpc.examples.cpeers;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.onyxrpc.testing.ChildProcesses;
import org.onyxrpc.testing.Unavailable;

/**
 * The C side of {@link CPeersInteropTest}: rpcgen makes, from src/test/c/cpeers/cpeers.x, an
 * MT-safe server (rpcgen -M -N) and two clients, one with MT-safe stubs ({@code -M -N}) and one
 * with the classic stubs whose results live in static memory ({@code -N}); gcc links them with
 * libtirpc. Every process started here is stopped by {@link #close}.
 *
 * <p>Without rpcgen, gcc or libtirpc's headers the tests are skipped on a developer's machine
 * and fail when the environment variable CI is set (as {@code .ci/run} sets it), so CI cannot
 * pass without running them.
 */
final class CPeers implements AutoCloseable {
  /** The .x file and the C sources. */
  static final Path SOURCES = Path.of("src/test/c/cpeers").toAbsolutePath();

  private static final Path TIRPC_INCLUDE = Path.of("/usr/include/tirpc");
  private static final long COMMAND_SECONDS = 120;

  /** The two styles of rpcgen client stubs. */
  enum Stubs {
    /** {@code rpcgen -M -N}: the caller passes the result's memory. */
    MT,
    /** {@code rpcgen -N}: results in the stubs' static memory. */
    CLASSIC
  }

  private final Path work;
  private final ChildProcesses processes = new ChildProcesses();

  private CPeers(Path work) {
    this.work = work;
  }

  /** Generates and compiles the C server and both clients in {@code work}, or skips/fails. */
  static CPeers build(Path work) throws IOException, InterruptedException {
    requireToolchain();
    CPeers c = new CPeers(work);
    Path classic = Files.createDirectories(work.resolve("classic"));
    for (Path dir : List.of(work, classic)) {
      Files.copy(SOURCES.resolve("cpeers.x"), dir.resolve("cpeers.x"));
    }
    c.command(work, "rpcgen", "-M", "-N", "-h", "-o", "cpeers.h", "cpeers.x");
    c.command(work, "rpcgen", "-M", "-N", "-c", "-o", "cpeers_xdr.c", "cpeers.x");
    c.command(work, "rpcgen", "-M", "-N", "-l", "-o", "cpeers_clnt.c", "cpeers.x");
    c.command(work, "rpcgen", "-M", "-N", "-m", "-o", "cpeers_svc.c", "cpeers.x");
    c.compile(work, "cpeers_server", List.of(), SOURCES.resolve("cpeers_server.c"),
        SOURCES.resolve("cpeers_impl.c"), work.resolve("cpeers_svc.c"), work.resolve("cpeers_xdr.c"));
    c.compile(work, "cpeers_client_mt", List.of("-DCP_MT"), SOURCES.resolve("cpeers_client.c"),
        work.resolve("cpeers_clnt.c"), work.resolve("cpeers_xdr.c"));
    c.command(classic, "rpcgen", "-N", "-h", "-o", "cpeers.h", "cpeers.x");
    c.command(classic, "rpcgen", "-N", "-c", "-o", "cpeers_xdr.c", "cpeers.x");
    c.command(classic, "rpcgen", "-N", "-l", "-o", "cpeers_clnt.c", "cpeers.x");
    c.compile(classic, "cpeers_client", List.of(), SOURCES.resolve("cpeers_client.c"),
        classic.resolve("cpeers_clnt.c"), classic.resolve("cpeers_xdr.c"));
    return c;
  }

  /** Starts the C server on 127.0.0.1 and returns its port (TCP and UDP share the number). */
  int startServer() throws IOException {
    Path log = work.resolve("cpeers_server.stderr");
    Process process = track(new ProcessBuilder(work.resolve("cpeers_server").toString(), "300")
        .redirectError(log.toFile())
        .start());
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String line;
    try {
      line = firstLine.get(COMMAND_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      line = null;
    }
    if (line == null || !line.matches("\\d+")) {
      process.destroyForcibly();
      fail("C server printed no port (got " + line + "); stderr:\n" + Files.readString(log));
    }
    return Integer.parseInt(line);
  }

  /** Runs a C client over {@code netid} (tcp or udp) against the port; returns its stdout. */
  String runClient(Stubs stubs, String netid, int port, String... mode)
      throws IOException, InterruptedException {
    Path binary = stubs == Stubs.MT ? work.resolve("cpeers_client_mt")
        : work.resolve("classic/cpeers_client");
    String name = "client-" + stubs + "-" + netid + "-" + port + "-" + String.join("-", mode);
    Path stdout = work.resolve(name + ".stdout");
    Path stderr = work.resolve(name + ".stderr");
    List<String> command = new ArrayList<>(List.of(binary.toString(), netid, Integer.toString(port)));
    command.addAll(List.of(mode));
    Process process = track(new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start());
    finish(process, String.join(" ", command), stderr);
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  /**
   * A C client started in a mode that reads stdin ({@code idle}): {@link #line} reads its next
   * line of output, {@link #send} writes it a line.
   */
  final class Interactive {
    private final Process process;
    private final BufferedReader out;

    private Interactive(Process process) {
      this.process = process;
      this.out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The client's next line of output, or null once it has ended. */
    String line() throws IOException {
      return out.readLine();
    }

    /** Writes a line to the client's stdin. */
    void send(String line) throws IOException {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    }
  }

  /** Starts a C client (MT stubs) over {@code netid} in {@code mode}, talking to it by lines. */
  Interactive startClient(String netid, int port, String mode) throws IOException {
    Path stderr = work.resolve("client-" + netid + "-" + port + "-" + mode + ".stderr");
    return new Interactive(track(new ProcessBuilder(work.resolve("cpeers_client_mt").toString(),
            netid, Integer.toString(port), mode)
        .redirectError(stderr.toFile())
        .start()));
  }

  /** An expected transcript from the sources directory. */
  static String expected(String name) throws IOException {
    return Files.readString(SOURCES.resolve(name), StandardCharsets.UTF_8);
  }

  /** Stops every process started here and not finished yet. */
  @Override
  public void close() {
    processes.close();
  }

  private Process track(Process process) {
    return processes.track(process);
  }

  private void command(Path dir, String... command) throws IOException, InterruptedException {
    Path log = work.resolve("build.log");
    Process process = track(new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start());
    finish(process, String.join(" ", command), log);
  }

  private void compile(Path dir, String output, List<String> flags, Path... sources)
      throws IOException, InterruptedException {
    List<String> gcc = new ArrayList<>(List.of("gcc", "-std=gnu11", "-O1",
        "-I" + TIRPC_INCLUDE, "-I" + dir));
    gcc.addAll(flags);
    gcc.addAll(List.of("-o", output));
    for (Path source : sources) {
      gcc.add(source.toString());
    }
    gcc.add("-ltirpc");
    command(dir, gcc.toArray(String[]::new));
  }

  private static void finish(Process process, String what, Path log)
      throws IOException, InterruptedException {
    ChildProcesses.finish(process, what, log, COMMAND_SECONDS);
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
    if (!Files.isRegularFile(TIRPC_INCLUDE.resolve("rpc/rpc.h"))) {
      missing.add(TIRPC_INCLUDE.resolve("rpc/rpc.h") + " (libtirpc-dev)");
    }
    if (missing.isEmpty()) {
      return;
    }
    String message = "the C interop tests need rpcgen, gcc and libtirpc; missing " + missing
        + ". On Debian: apt-get install rpcsvc-proto gcc libtirpc-dev (as .ci/run does)";
    Unavailable.because(message);
  }
}
