package org.onyxrpc.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything a results folder holds: every JMH result of its {@code jmh*.json} files, and the
 * C client's runs ({@code c-clients.json}, written by {@code org.onyxrpc.benchmarks.CClientRuns}):
 * their medians, and each round's figures, looked up by what the report needs. The JMH files of
 * the sync rounds ({@code jmh-sync-r<N>-<name>.json}: {@code run.sh}'s sync pairs one after
 * another, round after round) are kept by round, apart from the others.
 */
final class Results {
  /** A JMH file of round N of the sync rounds. */
  private static final Pattern SYNC_ROUND = Pattern.compile("jmh-sync-r(\\d+)-.*\\.json");

  private final List<JmhResult> jmh;
  /** The sync rounds' JMH results, by round. */
  private final SortedMap<Integer, List<JmhResult>> syncRounds;
  private final Map<String, Map<String, Double>> cClients;
  /** Each round's figures of a pair, transport and workload, by round. */
  private final Map<String, Map<Integer, Map<String, Double>>> cRounds;

  Results(List<JmhResult> jmh, SortedMap<Integer, List<JmhResult>> syncRounds,
      Map<String, Map<String, Double>> cClients,
      Map<String, Map<Integer, Map<String, Double>>> cRounds) {
    this.jmh = List.copyOf(jmh);
    SortedMap<Integer, List<JmhResult>> rounds = new TreeMap<>();
    syncRounds.forEach((round, results) -> rounds.put(round, List.copyOf(results)));
    this.syncRounds = Collections.unmodifiableSortedMap(rounds);
    this.cClients = Map.copyOf(cClients);
    this.cRounds = Map.copyOf(cRounds);
  }

  /** Reads {@code directory}'s JMH files (sorted by name) and C client file, where present. */
  static Results read(Path directory) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JmhResult> jmh = new ArrayList<>();
    SortedMap<Integer, List<JmhResult>> syncRounds = new TreeMap<>();
    TreeSet<Path> files = new TreeSet<>();
    try (DirectoryStream<Path> found = Files.newDirectoryStream(directory, "jmh*.json")) {
      found.forEach(files::add);
    }
    for (Path file : files) {
      JsonNode array = json.readTree(file.toFile());
      if (array == null || !array.isArray()) {
        throw new IOException(file + " is not JMH's JSON result array");
      }
      Matcher round = SYNC_ROUND.matcher(file.getFileName().toString());
      List<JmhResult> into = round.matches()
          ? syncRounds.computeIfAbsent(Integer.parseInt(round.group(1)), r -> new ArrayList<>())
          : jmh;
      array.forEach(node -> into.add(JmhResult.parse(node)));
    }
    Map<String, Map<String, Double>> cClients = new HashMap<>();
    Map<String, Map<Integer, Map<String, Double>>> cRounds = new HashMap<>();
    Path cFile = directory.resolve("c-clients.json");
    if (Files.isRegularFile(cFile)) {
      JsonNode document = json.readTree(cFile.toFile());
      for (JsonNode median : document.path("medians")) {
        cClients.put(key(median), figures(median));
      }
      for (JsonNode run : document.path("runs")) {
        cRounds.computeIfAbsent(key(run), k -> new HashMap<>())
            .put(run.path("round").asInt(), figures(run));
      }
    }
    return new Results(jmh, syncRounds, cClients, cRounds);
  }

  private static Map<String, Double> figures(JsonNode node) {
    Map<String, Double> figures = new HashMap<>();
    node.path("figures").properties()
        .forEach(e -> figures.put(e.getKey(), e.getValue().asDouble()));
    return figures;
  }

  private static String key(JsonNode node) {
    return key(node.path("pair").asText(), node.path("transport").asText(),
        node.path("workload").asText());
  }

  /** The first result of {@code benchmark} in {@code mode} with {@code params}. */
  Optional<JmhResult> find(String benchmark, String mode, Map<String, String> params) {
    return first(jmh, benchmark, mode, params);
  }

  private static Optional<JmhResult> first(List<JmhResult> results, String benchmark, String mode,
      Map<String, String> params) {
    return results.stream()
        .filter(r -> r.mode().equals(mode) && r.matches(benchmark, params))
        .findFirst();
  }

  /**
   * A SampleTime percentile of {@code benchmark} with {@code params}, in µs: from the files run
   * once, or where they lack it, the median over the sync rounds of each round's figure.
   */
  OptionalDouble micros(String benchmark, Map<String, String> params, String percentile) {
    OptionalDouble once = percentileMicros(jmh, benchmark, params, percentile);
    if (once.isPresent()) {
      return once;
    }
    List<Double> perRound = new ArrayList<>();
    for (List<JmhResult> round : syncRounds.values()) {
      percentileMicros(round, benchmark, params, percentile).ifPresent(perRound::add);
    }
    return median(perRound);
  }

  /** Whether the folder has sync rounds. */
  boolean hasSyncRounds() {
    return !syncRounds.isEmpty();
  }

  /**
   * Round by round, in round order, {@code benchmark}'s percentile over {@code reference}'s in the
   * same round, for each sync round that measured both: two figures measured seconds apart, each
   * round's machine state dividing out. Empty when no round has both.
   */
  List<Double> roundRatios(String benchmark, Map<String, String> params, String reference,
      Map<String, String> referenceParams, String percentile) {
    List<Double> ratios = new ArrayList<>();
    for (List<JmhResult> round : syncRounds.values()) {
      OptionalDouble value = percentileMicros(round, benchmark, params, percentile);
      OptionalDouble base = percentileMicros(round, reference, referenceParams, percentile);
      if (value.isPresent() && base.isPresent() && base.getAsDouble() > 0) {
        ratios.add(value.getAsDouble() / base.getAsDouble());
      }
    }
    return ratios;
  }

  /** A SampleTime percentile of {@code benchmark} with {@code params} among {@code results}, in µs. */
  private static OptionalDouble percentileMicros(List<JmhResult> results, String benchmark,
      Map<String, String> params, String percentile) {
    return first(results, benchmark, "sample", params)
        .map(r -> r.percentileMicros(percentile))
        .orElse(OptionalDouble.empty());
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  static OptionalDouble median(List<Double> values) {
    if (values.isEmpty()) {
      return OptionalDouble.empty();
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int middle = sorted.size() / 2;
    return OptionalDouble.of(sorted.size() % 2 == 1
        ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2);
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

  /**
   * The median over the C client's rounds of {@code pair}'s figure divided by {@code reference}'s
   * in the same round: the ratio of two pairs measured minutes apart at most, each round's
   * machine state dividing out. Empty unless some round has both.
   */
  OptionalDouble pairedRatio(String pair, String reference, String transport, String workload,
      String figure) {
    Map<Integer, Map<String, Double>> rounds =
        cRounds.getOrDefault(key(pair, transport, workload), Map.of());
    Map<Integer, Map<String, Double>> references =
        cRounds.getOrDefault(key(reference, transport, workload), Map.of());
    List<Double> ratios = new ArrayList<>();
    rounds.forEach((round, figures) -> {
      Double value = figures.get(figure);
      Double base = references.getOrDefault(round, Map.of()).get(figure);
      if (value != null && base != null && base > 0) {
        ratios.add(value / base);
      }
    });
    return median(ratios);
  }

  private static String key(String pair, String transport, String workload) {
    return pair + " " + transport + " " + workload;
  }
}
