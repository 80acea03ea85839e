package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Times a Java client's sequential calls the way {@code bench_client} times the C client's: each
 * call alone on the monotonic clock, after untimed warm-up calls, then the mean and the
 * nearest-rank percentiles of every call, under the same keys ({@code p50_us}, {@code p99_us},
 * ...); and its echoes as {@code bench_client} times its own: the untimed warm-up, then the timed
 * calls as one span, as calls and MiB a second ({@code calls_per_s}, {@code mib_per_s}).
 * {@link CClientRuns} runs such a client in its rounds beside the C client, so that a Java client
 * and C → C are measured minutes apart at most, by one method.
 */
final class TimedCalls {
  private static final double MIB = 1 << 20;

  /** One call whose result (a sum, or the length echoed) is checked. */
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
    return latency(call, expected, warmup, calls, null);
  }

  /**
   * The same, and gives {@code window}, unless null, the thread and span of the timed calls
   * (read from Linux's {@code /proc}, so only when asked).
   */
  static Map<String, Double> latency(Call call, int expected, long warmup, long calls,
      Consumer<TimedWindow> window) throws IOException {
    if (calls < 1 || calls > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("calls must be 1 to 2^31-1: " + calls);
    }
    for (long i = 0; i < warmup; i++) {
      check(call.call(), expected);
    }
    long[] nanos = new long[(int) calls];
    long first = System.nanoTime();
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      int result = call.call();
      nanos[i] = System.nanoTime() - start;
      check(result, expected);
    }
    if (window != null) {
      window.accept(TimedWindow.ofThisThreadSince(first));
    }
    return figures(nanos);
  }

  /**
   * {@code calls} timed echoes of {@code size} bytes after {@code warmup} untimed ones, timed
   * together; each must return {@code size}, the length that came back.
   */
  static Map<String, Double> echo(Call call, int size, long warmup, long calls)
      throws IOException {
    if (calls < 1) {
      throw new IllegalArgumentException("calls must be at least 1: " + calls);
    }
    for (long i = 0; i < warmup; i++) {
      check(call.call(), size);
    }
    long start = System.nanoTime();
    for (long i = 0; i < calls; i++) {
      check(call.call(), size);
    }
    return echoFigures(calls, size, System.nanoTime() - start);
  }

  /** The figures of {@code calls} echoes of {@code size} bytes in {@code nanos}, as C's keys. */
  static Map<String, Double> echoFigures(long calls, int size, long nanos) {
    double seconds = nanos / 1e9;
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("calls", (double) calls);
    figures.put("size", (double) size);
    figures.put("seconds", seconds);
    figures.put("calls_per_s", calls / seconds);
    figures.put("mib_per_s", calls * (double) size / seconds / MIB); // payload, each way
    return figures;
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
      throw new IllegalStateException("the call returned " + result + ", not " + expected);
    }
  }
}
