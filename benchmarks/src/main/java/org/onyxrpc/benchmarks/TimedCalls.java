package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times a Java client's sequential calls the way {@code bench_client} times the C client's: each
 * call alone on the monotonic clock, after untimed warm-up calls, then the mean and the
 * nearest-rank percentiles of every call, under the same keys ({@code p50_us}, {@code p99_us},
 * ...). {@link CClientRuns} runs such a client in its rounds beside the C client, so that a Java
 * client and C → C are measured against the same C server, minutes apart at most, by one method.
 */
final class TimedCalls {
  /** One call whose result is checked. */
  @FunctionalInterface
  interface Call {
    int call() throws IOException;
  }

  private TimedCalls() {}

  /**
   * {@code calls} timed calls after {@code warmup} untimed ones; each must return
   * {@code expected}.
   */
  static Map<String, Double> latency(Call call, int expected, long warmup, long calls)
      throws IOException {
    if (calls < 1 || calls > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("calls must be 1 to 2^31-1: " + calls);
    }
    for (long i = 0; i < warmup; i++) {
      check(call.call(), expected);
    }
    long[] nanos = new long[(int) calls];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      int result = call.call();
      nanos[i] = System.nanoTime() - start;
      check(result, expected);
    }
    return figures(nanos);
  }

  /** The figures of {@code nanos}, one call's time each; sorts it. */
  static Map<String, Double> figures(long[] nanos) {
    Arrays.sort(nanos);
    double total = 0;
    for (long n : nanos) {
      total += n;
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("calls", (double) nanos.length);
    figures.put("mean_us", Math.round(total / nanos.length) / 1e3); // to the ns, as C prints it
    figures.put("p50_us", percentile(nanos, 0.5));
    figures.put("p90_us", percentile(nanos, 0.9));
    figures.put("p99_us", percentile(nanos, 0.99));
    figures.put("p999_us", percentile(nanos, 0.999));
    figures.put("max_us", nanos[nanos.length - 1] / 1e3);
    return figures;
  }

  /** Nearest rank, as {@code bench_client}'s {@code percentile}. */
  private static double percentile(long[] sorted, double p) {
    long rank = (long) (p * sorted.length + 0.999999);
    return sorted[(int) Math.max(0, rank - 1)] / 1e3;
  }

  private static void check(int result, int expected) {
    if (result != expected) {
      throw new IllegalStateException("ADD returned " + result + ", not " + expected);
    }
  }
}
