package org.onyxrpc.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark's server in a JVM of its own: the Onyx server with a thread per TCP connection
 * ({@link OnyxPeers#startDedicatedTcpServer}) or the blocking socket baseline ({@link
 * BlockingRecordServer}), started from this JVM's class path and ended when this JVM closes it
 * or ends (the child ends when its standard input does).
 *
 * <p>Why: in one JVM, client and server share the JIT's profiles of the classes both run
 * (buffers, XDR, record marking), which a client and a server in two processes never do; a
 * pair measured both ways tells that sharing's cost from the scheduler's.
 */
final class ServerApart implements AutoCloseable {
  private static final long START_SECONDS = 60;
  private final Process process;
  private final int port;

  /** Starts {@code kind} ({@code onyx-dedicated} or {@code blocking}) in a new JVM. */
  ServerApart(String kind) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        ServerApart.class.getName(), kind))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    String line = out.readLine(); // "port N", once it listens
    if (line == null || !line.startsWith("port ")) {
      process.destroyForcibly();
      throw new IOException("the server apart did not start: " + line);
    }
    port = Integer.parseInt(line.substring(5).trim());
  }

  int port() {
    return port;
  }

  /** Whether the server's JVM still runs (for tests). */
  boolean running() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(START_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /** The child: starts the server, prints its port, serves until its standard input ends. */
  public static void main(String[] args) throws Exception {
    AutoCloseable server;
    int port;
    switch (args[0]) {
      case "onyx-dedicated" -> {
        var onyx = OnyxPeers.startDedicatedTcpServer();
        server = onyx;
        port = onyx.port();
      }
      case "blocking" -> {
        BlockingRecordServer blocking = new BlockingRecordServer();
        server = blocking;
        port = blocking.port();
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.out.println("port " + port);
    System.out.flush();
    try (server) {
      while (System.in.read() >= 0) {
        // the parent keeps its end open while it runs
      }
    }
  }
}
