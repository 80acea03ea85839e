package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.onyxrpc.transport.Transport;

/**
 * Runs the C client ({@code bench_client}) to completion against 127.0.0.1 and returns what it
 * printed. JMH cannot time the calls of a foreign process, so the client times them itself and
 * prints its figures as {@code key=value} words ({@link #figures}). It runs on the CPUs of
 * {@code -Donyx.bench.cpus.cclient}, if set ({@link CpuPlacement}).
 */
public final class CClient {
  private static final long RUN_SECONDS = 600;

  private final CPeers peers;

  /** A client of the peers built in {@code peers}. */
  public CClient(CPeers peers) {
    this.peers = peers;
  }

  /** A few verified ADD and ECHO calls; returns the client's "ok …" lines. */
  public String check(Transport transport, int port) throws IOException, InterruptedException {
    return run(transport, port, "check");
  }

  /** {@code calls} timed ADD calls after {@code warmup} untimed ones: mean and percentiles, µs. */
  public Map<String, Double> latency(Transport transport, int port, long warmup, long calls)
      throws IOException, InterruptedException {
    return figures(run(transport, port, "latency", Long.toString(warmup), Long.toString(calls)));
  }

  /** The same, and gives {@code window} the client's process id and the timed calls' span. */
  Map<String, Double> latency(Transport transport, int port, long warmup, long calls,
      Consumer<TimedWindow> window) throws IOException, InterruptedException {
    Path span = Files.createTempFile("onyx-c-client-", ".window");
    try {
      long[] pid = new long[1];
      Map<String, Double> figures = figures(run(Map.of("BENCH_WINDOW_FILE", span.toString()),
          p -> pid[0] = p.pid(), transport, port, "latency", Long.toString(warmup),
          Long.toString(calls)));
      String[] fromTo = Files.readString(span, StandardCharsets.US_ASCII).trim().split(" ");
      window.accept(new TimedWindow(pid[0], pid[0], Long.parseLong(fromTo[0]),
          Long.parseLong(fromTo[1])));
      return figures;
    } finally {
      Files.deleteIfExists(span);
    }
  }

  /** {@code calls} timed ECHOs of {@code size} bytes over TCP: calls/s and MiB/s each way. */
  public Map<String, Double> echo(int port, long warmup, long calls, int size)
      throws IOException, InterruptedException {
    return figures(run(Transport.TCP, port, "echo", Long.toString(warmup), Long.toString(calls),
        Integer.toString(size)));
  }

  /** The {@code key=value} words of the client's one-line report, as numbers. */
  static Map<String, Double> figures(String line) {
    Map<String, Double> figures = new LinkedHashMap<>();
    for (String word : line.trim().split("\\s+")) {
      int equals = word.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException("not key=value: '" + word + "' in '" + line + "'");
      }
      figures.put(word.substring(0, equals), Double.parseDouble(word.substring(equals + 1)));
    }
    return figures;
  }

  private String run(Transport transport, int port, String... mode)
      throws IOException, InterruptedException {
    return run(Map.of(), p -> { }, transport, port, mode);
  }

  /** Runs the client with {@code environment} added; {@code started} sees its process. */
  private String run(Map<String, String> environment, Consumer<Process> started,
      Transport transport, int port, String... mode) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(CpuPlacement.prefix("cclient"));
    command.addAll(List.of(peers.client().toString(),
        transport == Transport.TCP ? "tcp" : "udp", "127.0.0.1", Integer.toString(port)));
    command.addAll(List.of(mode));
    Path stdout = Files.createTempFile("onyx-c-client-", ".stdout");
    Path stderr = Files.createTempFile("onyx-c-client-", ".stderr");
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      started.accept(process);
      if (!process.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException(String.join(" ", command) + " did not finish in "
            + RUN_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with "
            + process.exitValue() + "; stderr:\n" + Files.readString(stderr));
      }
      return Files.readString(stdout, StandardCharsets.US_ASCII);
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }
}
