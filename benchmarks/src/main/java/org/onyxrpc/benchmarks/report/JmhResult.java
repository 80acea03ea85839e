package org.onyxrpc.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One entry of JMH's JSON results ({@code -rf json}): a benchmark in one mode with one set of
 * parameters.
 *
 * @param benchmark the class's simple name and the method, e.g. {@code OnyxSyncCall.call}
 * @param mode JMH's short mode name: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}
 * @param params the {@code @Param} values
 * @param score the primary score, in {@code unit}
 * @param unit e.g. {@code us/op}, {@code ops/s}
 * @param percentiles SampleTime percentiles by JMH's key ({@code "50.0"}, {@code "99.0"}), in
 *     {@code unit}; empty for other modes
 * @param secondary secondary metrics' scores by label (e.g. {@code alloc.client.norm})
 */
public record JmhResult(String benchmark, String mode, Map<String, String> params, double score,
    String unit, Map<String, Double> percentiles, Map<String, Double> secondary) {

  public JmhResult {
    params = Map.copyOf(params);
    percentiles = Map.copyOf(percentiles);
    secondary = Map.copyOf(secondary);
  }

  /** Reads one element of JMH's result array. */
  static JmhResult parse(JsonNode node) {
    String benchmark = node.path("benchmark").asText();
    int method = benchmark.lastIndexOf('.');
    int type = benchmark.lastIndexOf('.', method - 1);
    Map<String, String> params = new LinkedHashMap<>();
    node.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
    JsonNode primary = node.path("primaryMetric");
    Map<String, Double> percentiles = new LinkedHashMap<>();
    primary.path("scorePercentiles").properties()
        .forEach(e -> percentiles.put(e.getKey(), e.getValue().asDouble()));
    Map<String, Double> secondary = new LinkedHashMap<>();
    node.path("secondaryMetrics").properties()
        .forEach(e -> secondary.put(e.getKey(), e.getValue().path("score").asDouble()));
    return new JmhResult(benchmark.substring(type + 1), node.path("mode").asText(), params,
        primary.path("score").asDouble(), primary.path("scoreUnit").asText(), percentiles,
        secondary);
  }

  /**
   * True when this is {@code benchmark} and has every one of {@code wanted}'s parameters; a
   * parameter wanted as {@code default} also matches a run without it (added to the benchmark
   * later: such runs ran with the default).
   */
  boolean matches(String benchmark, Map<String, String> wanted) {
    if (!this.benchmark.equals(benchmark)) {
      return false;
    }
    for (Map.Entry<String, String> param : wanted.entrySet()) {
      String value = params.get(param.getKey());
      boolean before = value == null && param.getValue().equals("default");
      if (!before && !param.getValue().equals(value)) {
        return false;
      }
    }
    return true;
  }

  /** A SampleTime percentile ({@code 50.0}, {@code 99.0}) in microseconds, if recorded. */
  OptionalDouble percentileMicros(String key) {
    Double value = percentiles.get(key);
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value * microsPer(unit));
  }

  /** Microseconds per unit of a time-per-operation unit ({@code ns/op}, {@code us/op}, …). */
  static double microsPer(String unit) {
    return switch (unit) {
      case "ns/op" -> 1e-3;
      case "us/op" -> 1;
      case "ms/op" -> 1e3;
      case "s/op" -> 1e6;
      default -> throw new IllegalArgumentException("not a time per operation: " + unit);
    };
  }

  /** The score as operations per second, for a throughput result. */
  double perSecond() {
    return switch (unit) {
      case "ops/s" -> score;
      case "ops/ms" -> score * 1e3;
      case "ops/us" -> score * 1e6;
      case "ops/ns" -> score * 1e9;
      default -> throw new IllegalArgumentException("not a throughput: " + unit);
    };
  }
}
