package org.onyxrpc.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * Everything a results folder holds: every JMH result of its {@code jmh*.json} files, and the
 * medians of the C client's runs ({@code c-clients.json}, written by
 * {@code org.onyxrpc.benchmarks.CClientRuns}), looked up by what the report needs.
 */
final class Results {
  private final List<JmhResult> jmh;
  private final Map<String, Map<String, Double>> cClients;

  Results(List<JmhResult> jmh, Map<String, Map<String, Double>> cClients) {
    this.jmh = List.copyOf(jmh);
    this.cClients = Map.copyOf(cClients);
  }

  /** Reads {@code directory}'s JMH files (sorted by name) and C client file, where present. */
  static Results read(Path directory) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JmhResult> jmh = new ArrayList<>();
    TreeSet<Path> files = new TreeSet<>();
    try (DirectoryStream<Path> found = Files.newDirectoryStream(directory, "jmh*.json")) {
      found.forEach(files::add);
    }
    for (Path file : files) {
      JsonNode array = json.readTree(file.toFile());
      if (array == null || !array.isArray()) {
        throw new IOException(file + " is not JMH's JSON result array");
      }
      array.forEach(node -> jmh.add(JmhResult.parse(node)));
    }
    Map<String, Map<String, Double>> cClients = new HashMap<>();
    Path cFile = directory.resolve("c-clients.json");
    if (Files.isRegularFile(cFile)) {
      for (JsonNode median : json.readTree(cFile.toFile()).path("medians")) {
        Map<String, Double> figures = new HashMap<>();
        median.path("figures").properties()
            .forEach(e -> figures.put(e.getKey(), e.getValue().asDouble()));
        cClients.put(key(median.path("pair").asText(), median.path("transport").asText(),
            median.path("workload").asText()), figures);
      }
    }
    return new Results(jmh, cClients);
  }

  /** The first result of {@code benchmark} in {@code mode} with {@code params}. */
  Optional<JmhResult> find(String benchmark, String mode, Map<String, String> params) {
    return jmh.stream()
        .filter(r -> r.mode().equals(mode) && r.matches(benchmark, params))
        .findFirst();
  }

  /** A SampleTime percentile of {@code benchmark} with {@code params}, in µs. */
  OptionalDouble micros(String benchmark, Map<String, String> params, String percentile) {
    return find(benchmark, "sample", params)
        .map(r -> r.percentileMicros(percentile))
        .orElse(OptionalDouble.empty());
  }

  /** Operations per second of a throughput benchmark with {@code params}. */
  OptionalDouble perSecond(String benchmark, Map<String, String> params) {
    return find(benchmark, "thrpt", params)
        .map(r -> OptionalDouble.of(r.perSecond()))
        .orElse(OptionalDouble.empty());
  }

  /** A secondary metric (e.g. {@code alloc.client.norm}) from any mode's result that has it. */
  OptionalDouble secondary(String benchmark, Map<String, String> params, String label) {
    return jmh.stream()
        .filter(r -> r.matches(benchmark, params) && r.secondary().containsKey(label))
        .mapToDouble(r -> r.secondary().get(label))
        .findFirst();
  }

  /** A median figure of the C client's runs, e.g. ("c-to-c", "tcp", "latency", "p50_us"). */
  OptionalDouble cClient(String pair, String transport, String workload, String figure) {
    Map<String, Double> figures = cClients.get(key(pair, transport, workload));
    return figures == null || !figures.containsKey(figure)
        ? OptionalDouble.empty() : OptionalDouble.of(figures.get(figure));
  }

  private static String key(String pair, String transport, String workload) {
    return pair + " " + transport + " " + workload;
  }
}
