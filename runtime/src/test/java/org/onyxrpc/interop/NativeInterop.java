package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.NativeBuilds;
import org.onyxrpc.transport.Transport;

/**
 * The C side of the interop tests: generates stubs, dispatcher and XDR routines from interop.x
 * with rpcgen, compiles them with the hand-written C programs against libtirpc, and runs the
 * resulting server and client as child processes it always stops.
 *
 * <p>Without rpcgen, gcc or the libtirpc headers the tests are skipped or failed as {@link
 * InteropEnvironment} says.
 */
final class NativeInterop {
  /** The .x file, the C sources and the expected transcripts. */
  static final Path SOURCES = locateSources();
  /** src/test/c/common: what the C peers share (same_port.c, the sockets they listen on). */
  static final Path COMMON = SOURCES.resolveSibling("common");

  private final Path server;
  private final Path client;
  private final Path work;
  private final NativeCommands commands;
  private Process lastServer;

  private NativeInterop(Path work, Path server, Path client) {
    this.work = work;
    this.server = server;
    this.client = client;
    this.commands = new NativeCommands(work);
  }

  /**
   * The C server and client built from interop.x (by this or an earlier test: {@link
   * NativeBuilds}), run in {@code work}; or skips/fails as {@link
   * InteropEnvironment#requireToolchain} says.
   */
  static NativeInterop build(Path work) throws IOException, InterruptedException {
    // Newstyle (-N): several arguments per procedure; -m: a dispatcher without rpcgen's main.
    Path built = fromInteropX(List.of(
        rpcgen("-h", "interop.h"),
        rpcgen("-c", "interop_xdr.c"),
        rpcgen("-l", "interop_clnt.c"),
        rpcgen("-m", "interop_svc.c"),
        gcc("interop_server", SOURCES.resolve("interop_server.c"),
            SOURCES.resolve("interop_impl.c"), COMMON.resolve("same_port.c"), "interop_svc.c",
            "interop_xdr.c"),
        gcc("interop_client", SOURCES.resolve("interop_client.c"),
            SOURCES.resolve("interop_errors.c"), SOURCES.resolve("interop_auth.c"),
            SOURCES.resolve("interop_controls.c"), SOURCES.resolve("interop_oneway.c"),
            SOURCES.resolve("interop_edges.c"), "interop_clnt.c", "interop_xdr.c")));
    return new NativeInterop(work, built.resolve("interop_server"), built.resolve("interop_client"));
  }

  /**
   * The C client with stubs and XDR routines in K&R C (rpcgen -k -N: no prototypes, as for
   * pre-ANSI compilers), or skips/fails as {@link #build} does. (rpcgen's K&R dispatcher calls
   * procedures without the _svc suffix; only the client is built so.)
   */
  static NativeInterop buildKAndRClient(Path work) throws IOException, InterruptedException {
    Path built = fromInteropX(List.of(
        List.of("rpcgen", "-k", "-N", "-h", "-o", "interop.h", "interop.x"),
        List.of("rpcgen", "-k", "-N", "-c", "-o", "interop_xdr.c", "interop.x"),
        List.of("rpcgen", "-k", "-N", "-l", "-o", "interop_clnt.c", "interop.x"),
        gcc("interop_client", SOURCES.resolve("interop_client.c"),
            SOURCES.resolve("interop_errors.c"), SOURCES.resolve("interop_auth.c"),
            SOURCES.resolve("interop_controls.c"), SOURCES.resolve("interop_oneway.c"),
            SOURCES.resolve("interop_edges.c"), "interop_clnt.c", "interop_xdr.c")));
    return new NativeInterop(work, built.resolve("interop_server"), built.resolve("interop_client"));
  }

  /**
   * interop_faulty_server, a C server whose connections fail on purpose (see
   * interop_faulty_server.c), or skips/fails as {@link #build} does.
   */
  static NativeInterop buildFaultyServer(Path work) throws IOException, InterruptedException {
    Path built = fromInteropX(List.of(
        rpcgen("-h", "interop.h"),
        rpcgen("-c", "interop_xdr.c"),
        rpcgen("-m", "interop_svc.c"),
        gcc("interop_faulty_server", SOURCES.resolve("interop_faulty_server.c"),
            SOURCES.resolve("interop_impl.c"), COMMON.resolve("same_port.c"), "interop_svc.c",
            "interop_xdr.c")));
    return new NativeInterop(work, built.resolve("interop_faulty_server"),
        built.resolve("interop_client"));
  }

  /**
   * interop_reordering_server, a hand-written C server that answers a connection's calls last
   * first (see interop_reordering_server.c), or skips/fails as {@link #build} does.
   */
  static NativeInterop buildReorderingServer(Path work) throws IOException, InterruptedException {
    Path built = fromInteropX(List.of(
        rpcgen("-h", "interop.h"),
        rpcgen("-c", "interop_xdr.c"),
        gcc("interop_reordering_server", SOURCES.resolve("interop_reordering_server.c"),
            COMMON.resolve("same_port.c"), "interop_xdr.c")));
    return new NativeInterop(work, built.resolve("interop_reordering_server"),
        built.resolve("interop_client"));
  }

  /**
   * interop.x's server as rpcgen -I -K 1 writes it, for inetd (its main serves the socket it
   * finds on descriptor 0 and exits after a second's idleness), with inetd_launch.c to start it
   * so; or skips/fails as {@link #build} does. The old-style main (svcudp_create, svctcp_create)
   * is what rpcgen writes without -s, so rpcgen writes all four files here.
   */
  static NativeInterop buildInetdServer(Path work) throws IOException, InterruptedException {
    Path built = fromInteropX(List.of(
        List.of("rpcgen", "-I", "-K", "1", "-N", "interop.x"),
        gcc("interop_inetd_server", "interop_svc.c", SOURCES.resolve("interop_impl.c"),
            "interop_xdr.c"),
        List.of("gcc", "-std=gnu11", "-O1", "-I" + COMMON, "-o", "inetd_launch",
            SOURCES.resolve("inetd_launch.c").toString(), COMMON.resolve("same_port.c").toString())));
    return new NativeInterop(work, built.resolve("inetd_launch"),
        built.resolve("interop_inetd_server"));
  }

  /**
   * bulk_server, bulk_client and bulk_threads from src/test/c/bulk (rpcgen -M -N: MT-safe stubs), or
   * skips/fails as {@link #build} does.
   */
  static NativeInterop buildBulk(Path work) throws IOException, InterruptedException {
    InteropEnvironment.requireToolchain();
    Path sources = SOURCES.resolveSibling("bulk");
    Path built = NativeBuilds.built(new NativeBuilds.Recipe(List.of(sources.resolve("bulk.x")),
        List.of(
            List.of("rpcgen", "-M", "-N", "-h", "-o", "bulk.h", "bulk.x"),
            List.of("rpcgen", "-M", "-N", "-c", "-o", "bulk_xdr.c", "bulk.x"),
            List.of("rpcgen", "-M", "-N", "-l", "-o", "bulk_clnt.c", "bulk.x"),
            List.of("rpcgen", "-M", "-N", "-m", "-o", "bulk_svc.c", "bulk.x"),
            gcc("bulk_server", sources.resolve("bulk_server.c"), COMMON.resolve("same_port.c"),
                "bulk_svc.c", "bulk_xdr.c"),
            gcc("bulk_client", sources.resolve("bulk_client.c"), "bulk_clnt.c", "bulk_xdr.c"),
            gcc("bulk_threads", sources.resolve("bulk_threads.c"), "bulk_clnt.c", "bulk_xdr.c",
                "-pthread"))));
    return new NativeInterop(work, built.resolve("bulk_server"), built.resolve("bulk_client"));
  }

  /** Runs the client with {@code arguments} after its transport, host and port; returns stdout. */
  String runClient(Transport transport, int port, List<String> arguments)
      throws IOException, InterruptedException {
    return runClient(transport.name().toLowerCase(Locale.ROOT), port, arguments);
  }

  /** {@link #runClient(Transport, int, List)} with the client's own word for its transport. */
  String runClient(String proto, int port, List<String> arguments)
      throws IOException, InterruptedException {
    return finishClient(startClient(proto, proto, port, arguments), proto);
  }

  /**
   * Starts the client as {@link #runClient(String, int, List)} runs it, without waiting for it,
   * for a test that acts on the process meanwhile (stops it with SIGSTOP, say); its output goes
   * to files of {@code name}, which each client running at once needs its own of.
   */
  Process startClient(String name, String proto, int port, List<String> arguments)
      throws IOException {
    return startClient(name, proto, port, arguments, Map.of());
  }

  /** {@link #startClient(String, String, int, List)} with {@code environment} added to its own. */
  Process startClient(String name, String proto, int port, List<String> arguments,
      Map<String, String> environment) throws IOException {
    List<String> command = new ArrayList<>(
        List.of(client.toString(), proto, "127.0.0.1", Integer.toString(port)));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(work.resolve("client-" + name + ".stdout").toFile())
        .redirectError(work.resolve("client-" + name + ".stderr").toFile());
    builder.environment().putAll(environment);
    return commands.start(builder);
  }

  /** Waits for the client {@link #startClient} started as {@code name}; returns its stdout. */
  String finishClient(Process process, String name) throws IOException, InterruptedException {
    NativeCommands.finish(process, "C client " + name, work.resolve("client-" + name + ".stderr"));
    return Files.readString(work.resolve("client-" + name + ".stdout"), StandardCharsets.UTF_8);
  }

  /**
   * Runs {@code program}, built beside the client (bulk_threads beside bulk_client), with
   * {@code arguments}; returns its stdout.
   */
  String runBuiltBeside(String program, List<String> arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(client.resolveSibling(program).toString()));
    command.addAll(arguments);
    Path stdout = work.resolve(program + ".stdout");
    Path stderr = work.resolve(program + ".stderr");
    NativeCommands.finish(commands.start(new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())), String.join(" ", command), stderr);
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  /** Starts the faulty server in {@code mode} and returns its TCP port. */
  int startFaultyServer(String mode) throws IOException, InterruptedException {
    return startServer(List.of(mode, "300"));
  }

  /** {@link #startFaultyServer} at {@code port}, where another server was (SAME_PORT). */
  int startFaultyServerAt(String mode, int port) throws IOException, InterruptedException {
    return startServer(List.of(mode, "300"), Map.of("SAME_PORT", Integer.toString(port)));
  }

  /** Starts the reordering server, answering each {@code batch} calls at once; its port. */
  int startReorderingServer(int batch) throws IOException, InterruptedException {
    return startServer(List.of(Integer.toString(batch), "300"));
  }

  /**
   * Starts the rpcgen -I server ({@link #buildInetdServer}) as inetd would, on a {@code tcp} or
   * {@code udp} socket of 127.0.0.1; returns its port. {@link #lastServer} is then its process.
   */
  int startInetdServer(String proto) throws IOException, InterruptedException {
    return startServer(List.of(proto, client.toString()));
  }

  /** The server process started last. */
  Process lastServer() {
    return lastServer;
  }

  /** An expected transcript from the sources directory. */
  static String expected(String name) throws IOException {
    return Files.readString(SOURCES.resolve(name), StandardCharsets.UTF_8);
  }

  /** Starts the C server on 127.0.0.1 and returns its port (TCP and UDP share the number). */
  int startServer() throws IOException, InterruptedException {
    return startServer(List.of("300"));
  }

  /** The bulk server ({@link #buildBulk}) with UDP buffers of {@code bytes}; returns its port. */
  int startServerWithUdpBuffer(int bytes) throws IOException, InterruptedException {
    return startServer(List.of("300", Integer.toString(bytes)));
  }

  /** {@link #startServer()}, serving on the Unix-domain socket {@code path} as well. */
  int startServer(Path path) throws IOException, InterruptedException {
    return startServer(List.of("300", path.toString()));
  }

  /** {@link #startServer()} at {@code port}, where a server it killed was (SAME_PORT). */
  int startServerAt(int port) throws IOException, InterruptedException {
    return startServer(List.of("300"), Map.of("SAME_PORT", Integer.toString(port)));
  }

  private int startServer(List<String> arguments) throws IOException, InterruptedException {
    return startServer(arguments, Map.of());
  }

  private int startServer(List<String> arguments, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path log = work.resolve("interop_server.stderr");
    List<String> command = new ArrayList<>(List.of(server.toString()));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    builder.environment().putAll(environment);
    Process process = commands.start(builder);
    lastServer = process;
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
      line = firstLine.get(NativeCommands.COMMAND_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      line = null;
    }
    if (line == null || !line.matches("\\d+")) {
      process.destroyForcibly();
      fail("C server printed no port (got " + line + "); stderr:\n" + Files.readString(log));
    }
    return Integer.parseInt(line);
  }

  /**
   * Returns once the C server has written {@code line} to its stderr, as COUNT_RUNS does when it
   * starts a delay: the sign that the server is busy with that call and will take nothing else.
   */
  void awaitServerSaid(String line) {
    Path log = work.resolve("interop_server.stderr");
    Await.until(() -> {
      try {
        return Files.readString(log, StandardCharsets.US_ASCII).contains(line + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Runs the C client in {@code mode} (see interop_client.c); returns its stdout. */
  String runClient(Transport transport, int port, String mode)
      throws IOException, InterruptedException {
    return runClient(transport.name().toLowerCase(Locale.ROOT), "127.0.0.1", port, mode);
  }

  /**
   * Starts the C client in {@code mode} over TCP to 127.0.0.1 with its stdin and stdout piped, for
   * a mode that talks to the test while it runs (restart); stderr goes to a file in the work
   * directory. The process ends with the others.
   */
  Process startInteractiveClient(int port, String mode) throws IOException {
    return commands.start(new ProcessBuilder(
            client.toString(), "tcp", "127.0.0.1", Integer.toString(port), mode)
        .redirectError(work.resolve("client-tcp-" + mode + ".stderr").toFile()));
  }

  /**
   * Runs the C client in {@code mode} over {@code netid} (tcp, udp, or tcp6 and udp6 with an IPv6
   * {@code host}); returns its stdout.
   */
  String runClient(String netid, String host, int port, String mode)
      throws IOException, InterruptedException {
    return runClient(netid, host, port, mode, false);
  }

  /**
   * As {@link #runClient(String, String, int, String)}, with a UDP client's socket connected
   * (CLSET_CONNECT): the kernel gives it replies from {@code host} alone.
   */
  String runConnectedClient(String netid, String host, int port, String mode)
      throws IOException, InterruptedException {
    return runClient(netid, host, port, mode, true);
  }

  private String runClient(String netid, String host, int port, String mode, boolean connected)
      throws IOException, InterruptedException {
    Path stdout = work.resolve("client-" + netid + "-" + mode + ".stdout");
    Path stderr = work.resolve("client-" + netid + "-" + mode + ".stderr");
    ProcessBuilder builder = new ProcessBuilder(client.toString(), netid, host, Integer.toString(port), mode)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    if (connected) {
      builder.environment().put("INTEROP_UDP_CONNECT", "1");
    }
    NativeCommands.finish(commands.start(builder), "C client " + netid + " " + mode, stderr);
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  /**
   * Starts {@code count} C clients in {@code mode} over {@code netid} to 127.0.0.1 at once, as
   * separate processes, waits for all of them and returns each one's stdout, in start order.
   */
  List<String> runClientsAtOnce(String netid, int port, String mode, int count)
      throws IOException, InterruptedException {
    List<Process> started = new ArrayList<>();
    List<Path> stdouts = new ArrayList<>();
    List<Path> stderrs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path stdout = work.resolve("client-" + netid + "-" + mode + "-" + i + ".stdout");
      Path stderr = work.resolve("client-" + netid + "-" + mode + "-" + i + ".stderr");
      started.add(commands.start(new ProcessBuilder(
              client.toString(), netid, "127.0.0.1", Integer.toString(port), mode)
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())));
      stdouts.add(stdout);
      stderrs.add(stderr);
    }
    List<String> transcripts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      NativeCommands.finish(started.get(i), "C client " + i + " " + netid + " " + mode, stderrs.get(i));
      transcripts.add(Files.readString(stdouts.get(i), StandardCharsets.UTF_8));
    }
    return transcripts;
  }

  /** Runs the C client in {@code mode} (calls, errors) over the Unix-domain socket {@code path}. */
  String runLocalClient(Path path, String mode) throws IOException, InterruptedException {
    Path stdout = work.resolve("client-local-" + mode + ".stdout");
    Path stderr = work.resolve("client-local-" + mode + ".stderr");
    Process process = commands.start(new ProcessBuilder(client.toString(), "local", path.toString(), "-", mode)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile()));
    NativeCommands.finish(process, "C client local " + mode, stderr);
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  /** Stops every process started here and not finished yet. */
  void stopProcesses() throws InterruptedException {
    commands.close();
  }

  /**
   * The folder where {@code steps} built from interop.x (by this or an earlier test: {@link
   * NativeBuilds}), or skips/fails as {@link #build} says when the toolchain is missing.
   */
  private static Path fromInteropX(List<List<String>> steps) throws IOException, InterruptedException {
    InteropEnvironment.requireToolchain();
    return NativeBuilds.built(new NativeBuilds.Recipe(List.of(SOURCES.resolve("interop.x")), steps));
  }

  /**
   * rpcgen writing one part of interop.x, newstyle (-N): {@code part} is -h, -c, -l or -m, into
   * {@code output}.
   */
  private static List<String> rpcgen(String part, String output) {
    return List.of("rpcgen", "-N", part, "-o", output, "interop.x");
  }

  /**
   * gcc linking {@code sources} (paths of the source tree, or names of generated files in the
   * build's directory) with libtirpc into {@code output}.
   */
  private static List<String> gcc(String output, Object... sources) {
    List<String> gcc = new ArrayList<>(List.of("gcc", "-std=gnu11", "-O1",
        "-I" + InteropEnvironment.TIRPC_INCLUDE, "-I" + COMMON, "-I.", "-o", output));
    for (Object source : sources) {
      gcc.add(source.toString());
    }
    gcc.add("-ltirpc");
    return gcc;
  }

  /** The runtime module's src/test/c/interop, from the module or from the repository root. */
  private static Path locateSources() {
    for (String candidate : List.of("src/test/c/interop", "runtime/src/test/c/interop")) {
      Path dir = Path.of(candidate).toAbsolutePath();
      if (Files.isRegularFile(dir.resolve("interop.x"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find src/test/c/interop from " + Path.of("").toAbsolutePath());
  }
}
