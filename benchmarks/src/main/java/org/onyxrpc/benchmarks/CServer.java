package org.onyxrpc.benchmarks;

import java.io.BufferedReader;
import java.io.Closeable;
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

/**
 * The C server ({@code bench_server}) as a child process on 127.0.0.1, TCP and UDP on ports the
 * system chose, without rpcbind; {@link #close()} stops it. Its stderr goes to a temporary file
 * that a failure message quotes. It runs on the CPUs of {@code -Donyx.bench.cpus.cserver}, if set
 * ({@link CpuPlacement}).
 */
public final class CServer implements Closeable {
  private static final long START_SECONDS = 30;
  /** The server exits by itself after this long, should its parent die without stopping it. */
  private static final int LIFETIME_SECONDS = 3600;

  private final Process process;
  private final Path log;
  private final int tcpPort;
  private final int udpPort;

  private CServer(Process process, Path log, int tcpPort, int udpPort) {
    this.process = process;
    this.log = log;
    this.tcpPort = tcpPort;
    this.udpPort = udpPort;
  }

  /** Starts the server built in {@code peers} and waits until it listens. */
  public static CServer start(CPeers peers) throws IOException, InterruptedException {
    return start(peers, "cserver");
  }

  /** The same, on the CPUs of the {@link CpuPlacement} role {@code role}. */
  static CServer start(CPeers peers, String role) throws IOException, InterruptedException {
    Path log = Files.createTempFile("onyx-c-server-", ".stderr");
    List<String> command = new ArrayList<>(CpuPlacement.prefix(role));
    command.addAll(
        List.of(peers.server().toString(), "0", "0", Integer.toString(LIFETIME_SECONDS)));
    Process process = new ProcessBuilder(command)
        .redirectError(log.toFile())
        .start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    CompletableFuture<String> ports = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String line;
    try {
      line = ports.get(START_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      line = null;
    }
    if (line == null || !line.matches("\\d+ \\d+")) {
      process.destroyForcibly();
      String stderr = Files.readString(log);
      Files.deleteIfExists(log);
      throw new IllegalStateException(
          "the C server printed no ports (got " + line + "); stderr:\n" + stderr);
    }
    String[] both = line.split(" ");
    return new CServer(process, log, Integer.parseInt(both[0]), Integer.parseInt(both[1]));
  }

  /** The TCP port on 127.0.0.1. */
  public int tcpPort() {
    return tcpPort;
  }

  /** The server's process id. */
  public long pid() {
    return process.pid();
  }

  /** The UDP port on 127.0.0.1. */
  public int udpPort() {
    return udpPort;
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
