package org.onyxrpc.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;

/**
 * The C client's half of the C comparison, which JMH cannot time (the calls happen in another
 * process): runs {@code bench_client} against the C server (C → C) and against the Onyx server
 * (C → Onyx, TCP and UDP, handlers inline on the I/O thread) and against the JVM's floor (C →
 * JVM: a thread per socket asleep in a blocking read, answering with canned bytes,
 * {@link BlockingRecordServer} and {@link BlockingDatagramServer}), in alternating rounds, and
 * writes every round's figures and their medians as JSON for {@code report.RatioReport}.
 *
 * <pre>
 * java -cp benchmarks.jar org.onyxrpc.benchmarks.CClientRuns --out c-clients.json
 *     [--rounds 4] [--warmup 20000] [--calls 100000]
 *     [--echo-warmup 20] [--echo-calls 300] [--echo-size 1048576]
 * </pre>
 *
 * <p>Each round runs, in this order (alternated every other round so neither pair always goes
 * first): sequential ADD latency over TCP and over UDP, then 1 MiB ECHO throughput over TCP, each
 * for C → C, C → Onyx and C → JVM. The servers stay up for the whole run.
 */
public final class CClientRuns {
  /** Which server the C client calls. */
  enum Pair {
    C_TO_C("c-to-c"),
    C_TO_ONYX("c-to-onyx"),
    /** The JVM's floor: blocking JDK sockets that answer without decoding. */
    C_TO_JVM("c-to-jvm");

    final String label;

    Pair(String label) {
      this.label = label;
    }
  }

  /** What the run does; every count is per round. */
  record Settings(int rounds, long warmup, long calls, long echoWarmup, long echoCalls,
      int echoSize) {
    static Settings parse(Map<String, String> options) {
      return new Settings(
          Integer.parseInt(options.getOrDefault("rounds", "4")),
          Long.parseLong(options.getOrDefault("warmup", "20000")),
          Long.parseLong(options.getOrDefault("calls", "100000")),
          Long.parseLong(options.getOrDefault("echo-warmup", "20")),
          Long.parseLong(options.getOrDefault("echo-calls", "300")),
          Integer.parseInt(
              options.getOrDefault("echo-size", Integer.toString(AddProgram.MAX_ECHO))));
    }
  }

  private CClientRuns() {}

  /** Parses {@code --name value} options, runs, writes the JSON to {@code --out}. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    String out = options.remove("out");
    if (out == null) {
      throw new IllegalArgumentException("usage: CClientRuns --out FILE [--rounds N] [--warmup N]"
          + " [--calls N] [--echo-warmup N] [--echo-calls N] [--echo-size BYTES]");
    }
    ObjectNode result = run(Settings.parse(options));
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(Path.of(out).toFile(), result);
  }

  /** Runs every round and returns the JSON document. */
  static ObjectNode run(Settings settings) throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode document = json.createObjectNode();
    document.put("kind", "onyx-c-client-runs");
    document.putObject("settings")
        .put("rounds", settings.rounds())
        .put("warmupCalls", settings.warmup())
        .put("calls", settings.calls())
        .put("echoWarmupCalls", settings.echoWarmup())
        .put("echoCalls", settings.echoCalls())
        .put("echoSize", settings.echoSize());
    ArrayNode runs = document.putArray("runs");
    Map<String, List<Map<String, Double>>> byKind = new LinkedHashMap<>();
    CPeers peers = CPeers.build();
    CClient client = new CClient(peers);
    try (CServer c = CServer.start(peers);
        RpcServer onyx = OnyxPeers.startServer(Transport.TCP, Transport.UDP);
        BlockingRecordServer jvmTcp = new BlockingRecordServer();
        BlockingDatagramServer jvmUdp = new BlockingDatagramServer()) {
      for (int round = 1; round <= settings.rounds(); round++) {
        List<Pair> order = round % 2 == 1
            ? List.of(Pair.C_TO_C, Pair.C_TO_ONYX, Pair.C_TO_JVM)
            : List.of(Pair.C_TO_JVM, Pair.C_TO_ONYX, Pair.C_TO_C);
        for (Transport transport : List.of(Transport.TCP, Transport.UDP)) {
          for (Pair pair : order) {
            boolean tcp = transport == Transport.TCP;
            int port = switch (pair) {
              case C_TO_C -> tcp ? c.tcpPort() : c.udpPort();
              case C_TO_ONYX -> onyx.port();
              case C_TO_JVM -> tcp ? jvmTcp.port() : jvmUdp.port();
            };
            record(runs, byKind, round, pair, transport, "latency",
                client.latency(transport, port, settings.warmup(), settings.calls()));
          }
        }
        for (Pair pair : order) {
          int port = switch (pair) {
            case C_TO_C -> c.tcpPort();
            case C_TO_ONYX -> onyx.port();
            case C_TO_JVM -> jvmTcp.port();
          };
          record(runs, byKind, round, pair, Transport.TCP, "echo",
              client.echo(port, settings.echoWarmup(), settings.echoCalls(), settings.echoSize()));
        }
      }
    }
    ArrayNode medians = document.putArray("medians");
    byKind.forEach((kind, rounds) -> {
      String[] parts = kind.split(" ");
      ObjectNode median = medians.addObject();
      median.put("pair", parts[0]);
      median.put("transport", parts[1]);
      median.put("workload", parts[2]);
      ObjectNode figures = median.putObject("figures");
      for (String key : rounds.get(0).keySet()) {
        figures.put(key, median(rounds.stream().mapToDouble(r -> r.get(key)).toArray()));
      }
    });
    return document;
  }

  private static void record(ArrayNode runs, Map<String, List<Map<String, Double>>> byKind,
      int round, Pair pair, Transport transport, String workload, Map<String, Double> figures) {
    ObjectNode run = runs.addObject();
    run.put("round", round);
    run.put("pair", pair.label);
    run.put("transport", transport.name().toLowerCase(Locale.ROOT));
    run.put("workload", workload);
    ObjectNode values = run.putObject("figures");
    figures.forEach(values::put);
    System.out.println("round " + round + " " + pair.label + " " + run.get("transport").asText()
        + " " + workload + ": " + figures);
    byKind.computeIfAbsent(pair.label + " " + run.get("transport").asText() + " " + workload,
        k -> new ArrayList<>()).add(figures);
  }

  /** The median; the mean of the two middle values for an even count. */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got " + String.join(" ", args));
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }
}
