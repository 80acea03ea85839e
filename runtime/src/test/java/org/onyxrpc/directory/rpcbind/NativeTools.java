package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.NativeBuilds;
import org.onyxrpc.testing.Unavailable;

/**
 * The C world for the directory's interop tests: finds rpcinfo, rpcbind, rpcgen and gcc, runs
 * them as child processes it always stops, and decides what a missing tool means. Without a tool
 * the tests are skipped on a developer's machine but fail under CI (environment variable
 * {@code CI} set and not "false"), like the runtime's other interop tests.
 */
final class NativeTools implements AutoCloseable {
  static final Path TIRPC_INCLUDE = Path.of("/usr/include/tirpc");
  /** Where rpcbind listens for its own host's registrations (libtirpc's rpcb_set). */
  static final Path RPCBIND_SOCKET = Path.of("/run/rpcbind.sock");
  private static final long COMMAND_SECONDS = 60;
  private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private final Path work;
  private final List<Process> processes = new ArrayList<>();

  NativeTools(Path work) {
    this.work = work;
  }

  /** The path of each tool, or skips/fails naming the missing ones. */
  static void require(String... tools) {
    List<String> missing = new ArrayList<>();
    for (String tool : tools) {
      if (find(tool) == null) {
        missing.add(tool);
      }
    }
    if (List.of(tools).contains("gcc") && !Files.isRegularFile(TIRPC_INCLUDE.resolve("rpc/rpc.h"))) {
      missing.add(TIRPC_INCLUDE.resolve("rpc/rpc.h") + " (libtirpc-dev)");
    }
    if (!missing.isEmpty()) {
      Unavailable.because("directory interop tests need " + String.join(", ", tools) + "; missing " + missing
          + ". On Debian: apt-get install rpcbind rpcsvc-proto gcc libtirpc-dev (as .ci/run does)");
    }
  }

  /** A tool on the PATH or in the system directories (rpcbind and rpcinfo live in /usr/sbin). */
  static String find(String tool) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(SBIN);
    for (String dir : dirs) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return Path.of(dir, tool).toString();
      }
    }
    return null;
  }

  /** True if TCP and UDP port 111 of 127.0.0.1 can be bound now. */
  static boolean port111Free() {
    return bindPort111() == null;
  }

  /** Binds TCP and UDP port 111 of 127.0.0.1 and lets them go: null if it could, else why not. */
  private static IOException bindPort111() {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), Portmap.PORT);
    try (ServerSocket tcp = new ServerSocket(); DatagramSocket udp = new DatagramSocket(null)) {
      tcp.setReuseAddress(true);
      tcp.bind(address);
      udp.bind(address);
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  /**
   * Waits for port 111 of 127.0.0.1 to be free (a previous phase's sockets closing, or another
   * build's rpcbind test on a shared machine ending: up to a minute), or skips/fails if it stays
   * taken (an rpcbind running) or is not ours to bind (no root: at once, as waiting cannot help).
   */
  static void awaitPort111() {
    if (bindPort111() instanceof BindException refused
        && String.valueOf(refused.getMessage()).contains("Permission denied")) {
      Unavailable.because("port 111 of 127.0.0.1 is not ours to bind (" + refused.getMessage() + ")");
    }
    if (!Await.within(NativeTools::port111Free, Duration.ofSeconds(60))) {
      Unavailable.because("port 111 of 127.0.0.1 is taken (an rpcbind running?) or not ours to bind");
    }
  }

  /** Runs a command to its end; returns its output, or fails with it if it exits non-zero. */
  String run(String... command) throws IOException, InterruptedException {
    Result r = runAllowingFailure(command);
    if (r.exit() != 0) {
      fail(String.join(" ", command) + " exited with " + r.exit() + ":\n" + r.output());
    }
    return r.output();
  }

  /** True if something listens on TCP port 111 of 127.0.0.1 (a connection is accepted now). */
  static boolean port111Listens() {
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Portmap.PORT), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** What a command printed (stdout and stderr together) and its exit status. */
  record Result(int exit, String output) {}

  /** Runs a command to its end, whatever its exit status. */
  Result runAllowingFailure(String... command) throws IOException, InterruptedException {
    String[] resolved = command.clone();
    String found = find(command[0]);
    resolved[0] = found != null ? found : command[0];
    Path log = Files.createTempFile(work, "cmd", ".log");
    Process p = track(new ProcessBuilder(resolved).directory(work.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start());
    if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in " + COMMAND_SECONDS + " s:\n" + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Starts a long-running command (a daemon in the foreground); stopped by {@link #close}. */
  Process start(String... command) throws IOException {
    String[] resolved = command.clone();
    String found = find(command[0]);
    resolved[0] = found != null ? found : command[0];
    return track(new ProcessBuilder(resolved).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve(command[0] + ".log").toFile()).start());
  }

  /**
   * Starts a daemon that prints one line on stdout once it serves (its port, say); returns that
   * line. Stopped by {@link #close}.
   */
  String startAndReadLine(String... command) throws IOException, InterruptedException {
    Path log = work.resolve(Path.of(command[0]).getFileName() + ".stderr");
    Process p = track(new ProcessBuilder(command).directory(work.toFile())
        .redirectError(log.toFile()).start());
    BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String first;
    try {
      first = line.get(COMMAND_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      first = null;
    }
    if (first == null) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " printed nothing; stderr:\n" + Files.readString(log));
    }
    return first;
  }

  /**
   * Runs {@code phase} while Debian's rpcbind, remote calls on (-r, for broadcasts), has port
   * 111, then stops it and every other process started here.
   */
  void withDebianRpcbind(Phase phase) throws Exception {
    boolean hadSocket = Files.exists(RPCBIND_SOCKET);
    Process rpcbind = start("rpcbind", "-f", "-r");
    try {
      awaitRpcbind(rpcbind);
      phase.run();
    } finally {
      close();
      if (!hadSocket) {
        Files.deleteIfExists(RPCBIND_SOCKET); // rpcbind leaves it behind on SIGTERM
      }
    }
  }

  /** What runs while rpcbind has port 111. */
  interface Phase {
    void run() throws Exception;
  }

  /**
   * Returns once Debian's rpcbind answers on port 111. It listens on TCP after setting up its
   * other transports (the local socket, UDP) and before it serves: once it listens, one rpcinfo
   * waits in the backlog until it is answered.
   */
  private void awaitRpcbind(Process rpcbind) throws Exception {
    if (!Await.within(() -> !rpcbind.isAlive() || port111Listens(), Duration.ofSeconds(15))) {
      fail("rpcbind did not listen on port 111 within 15 s:\n" + Files.readString(work.resolve("rpcbind.log")));
    }
    if (!rpcbind.isAlive()) {
      fail("rpcbind -f exited with " + rpcbind.exitValue() + ":\n" + Files.readString(work.resolve("rpcbind.log")));
    }
    run("rpcinfo", "-p", "127.0.0.1");
  }

  /** TestService's program as rpcgen reads it. */
  private static final String DIRTEST_X = """
      struct pair { int a; int b; };
      program TESTPROG { version TESTVERS { int ADD(pair) = 1; } = 1; } = 0x20000101;
      """;

  /**
   * dirtest.x's dispatcher and client stubs, and from src/test/c/rpcbind the C server tp_server
   * and each client named ({@code tp_client}, {@code nettype_client}), in the work directory.
   */
  void buildTransportIndependentPeers(String... clients) throws Exception {
    generateTestProgram();
    run("rpcgen", "-m", "-o", "dirtest_svc.c", "dirtest.x");
    run("rpcgen", "-l", "-o", "dirtest_clnt.c", "dirtest.x");
    Path sources = TransportIndependentCPeersInteropTest.sources();
    run("gcc", "-std=gnu11", "-O1", "-I" + TIRPC_INCLUDE, "-I" + work, "-o", "tp_server",
        sources.resolve("tp_server.c").toString(), "dirtest_svc.c", "dirtest_xdr.c", "-ltirpc");
    for (String client : clients) {
      run("gcc", "-std=gnu11", "-O1", "-I" + TIRPC_INCLUDE, "-I" + work, "-o", client,
          sources.resolve(client + ".c").toString(), "dirtest_clnt.c", "dirtest_xdr.c", "-ltirpc");
    }
  }

  /** ::1, which tcp6 and udp6 need: a test without it is skipped on a machine, failed under CI. */
  static InetAddress ipv6Loopback() {
    try {
      InetAddress loopback = InetAddress.getByName("::1");
      try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
        return loopback;
      }
    } catch (IOException e) {
      Unavailable.because("tcp6 and udp6 need ::1; binding it failed: " + e.getMessage());
      throw new AssertionError("not reached", e);
    }
  }

  /** dirtest.x, TestService's program as rpcgen reads it, and its XDR routines in C. */
  void generateTestProgram() throws Exception {
    if (Files.exists(work.resolve("dirtest_xdr.c"))) {
      return; // generated for the server or the client already: rpcgen will not overwrite them
    }
    write("dirtest.x", DIRTEST_X);
    run("rpcgen", "-h", "-o", "dirtest.h", "dirtest.x");
    run("rpcgen", "-c", "-o", "dirtest_xdr.c", "dirtest.x");
  }

  /**
   * rpcgen's own server of TestService's program: its main unsets the program
   * ({@code pmap_unset}) and registers over TCP and UDP with svc_register, through rpcbind's
   * local socket. Built once for the module ({@link NativeBuilds}).
   */
  Path rpcgenServer() throws Exception {
    return NativeBuilds.built(new NativeBuilds.Recipe(List.of(),
        Map.of("dirtest.x", DIRTEST_X, "impl.c", """
        #include "dirtest.h"

        int *add_1_svc(pair *args, struct svc_req *request) {
          static int sum;
          sum = args->a + args->b;
          return &sum;
        }
        """),
        List.of(
            List.of("rpcgen", "-h", "-o", "dirtest.h", "dirtest.x"),
            List.of("rpcgen", "-c", "-o", "dirtest_xdr.c", "dirtest.x"),
            List.of("rpcgen", "-s", "tcp", "-s", "udp", "-o", "dirtest_svc.c", "dirtest.x"),
            List.of("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-I.",
                "-o", "dirtest_server", "dirtest_svc.c", "impl.c", "dirtest_xdr.c", "-ltirpc"))))
        .resolve("dirtest_server");
  }

  /**
   * A C client of TestService's program, built with rpcgen's client stubs: {@code dirtest_client
   * HOST NETTYPE [VERSION]} finds the server through the portmapper on HOST as rpcgen's clients do
   * ({@code clnt_create}), or with {@code tcp-pmap}/{@code udp-pmap} as the old API's clients do,
   * and prints {@code add(2, 40) = 42 over NETTYPE}, or clnt_perror's line and exits 1. Built
   * once for the module ({@link NativeBuilds}).
   */
  Path rpcgenClient() throws Exception {
    return NativeBuilds.built(new NativeBuilds.Recipe(List.of(),
        Map.of("dirtest.x", DIRTEST_X, "client.c", """
        #include <arpa/inet.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <rpc/rpc.h>
        #include "dirtest.h"

        /*
         * The old API: with port 0, clnttcp_create and clntudp_create ask the portmapper on
         * HOST (IPv4) for the port, in version 2 (PMAPPROC_GETPORT).
         */
        static CLIENT *portmapped(const char *host, const char *how, u_long version) {
          struct sockaddr_in address;
          memset(&address, 0, sizeof address);
          address.sin_family = AF_INET;
          if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
            return NULL;
          }
          int sock = RPC_ANYSOCK;
          struct timeval retry = {1, 0};
          return strcmp(how, "tcp-pmap") == 0
              ? clnttcp_create(&address, TESTPROG, version, &sock, 0, 0)
              : clntudp_create(&address, TESTPROG, version, retry, &sock);
        }

        /*
         * clnt_create_timed for NETTYPE-timed (tcp-timed, udp-timed): the look-up and, over a
         * connection, the connect given 5 s, as callers that must not wait libtirpc's 25 s use it.
         */
        static CLIENT *timed(const char *host, const char *how, u_long version) {
          char nettype[32];
          snprintf(nettype, sizeof nettype, "%.*s", (int) (strlen(how) - strlen("-timed")), how);
          struct timeval within = {5, 0};
          return clnt_create_timed(host, TESTPROG, version, nettype, &within);
        }

        /*
         * Finds the server through the portmapper on HOST, exactly as rpcgen's clients do
         * (NETTYPE tcp or udp, or netpath, visible... to try each transport in turn), or as
         * clients of the old API do (tcp-pmap, udp-pmap), or with clnt_create_timed (above).
         */
        int main(int argc, char **argv) {
          if (argc != 3 && argc != 4) {
            fprintf(stderr, "usage: %s host NETTYPE|tcp-pmap|udp-pmap|NETTYPE-timed [version]\\n", argv[0]);
            return 2;
          }
          u_long version = argc == 4 ? atoi(argv[3]) : TESTVERS;
          CLIENT *clnt = strstr(argv[2], "-pmap") != NULL ? portmapped(argv[1], argv[2], version)
              : strstr(argv[2], "-timed") != NULL ? timed(argv[1], argv[2], version)
              : clnt_create(argv[1], TESTPROG, version, argv[2]);
          if (clnt == NULL) {
            clnt_pcreateerror(argv[1]);
            return 1;
          }
          pair args = {2, 40};
          int *sum = add_1(&args, clnt);
          if (sum == NULL) {
            clnt_perror(clnt, "add");
            return 1;
          }
          printf("add(2, 40) = %d over %s\\n", *sum, argv[2]);
          clnt_destroy(clnt);
          return 0;
        }
        """),
        List.of(
            List.of("rpcgen", "-h", "-o", "dirtest.h", "dirtest.x"),
            List.of("rpcgen", "-c", "-o", "dirtest_xdr.c", "dirtest.x"),
            List.of("rpcgen", "-l", "-o", "dirtest_clnt.c", "dirtest.x"),
            List.of("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-I.",
                "-o", "dirtest_client", "client.c", "dirtest_clnt.c", "dirtest_xdr.c", "-ltirpc"))))
        .resolve("dirtest_client");
  }

  /** Writes {@code text} to {@code name} in the work directory. */
  Path write(String name, String text) throws IOException {
    return Files.writeString(work.resolve(name), text, StandardCharsets.UTF_8);
  }

  Path work() {
    return work;
  }

  private Process track(Process p) {
    processes.add(p);
    return p;
  }

  /** Stops every process started here that is still running. */
  @Override
  public void close() {
    try {
      for (Process p : processes) {
        if (p.isAlive()) {
          p.destroy();
          if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          }
        }
      }
    } catch (InterruptedException e) {
      processes.forEach(Process::destroyForcibly);
      Thread.currentThread().interrupt();
    }
    processes.clear();
  }
}
