package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TimedCallsTest {
  @Test
  void percentilesAreNearestRankAsTheCClientsAre() {
    long[] nanos = new long[1000];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = (nanos.length - i) * 1000L; // 1,000 µs down to 1 µs: sorted by figures
    }
    Map<String, Double> figures = TimedCalls.figures(nanos);
    assertEquals(1000.0, figures.get("calls"));
    assertEquals(500.5, figures.get("mean_us"), 1e-9);
    assertEquals(500.0, figures.get("p50_us")); // rank ceil(0.5 × 1000) = 500
    assertEquals(990.0, figures.get("p99_us"));
    assertEquals(999.0, figures.get("p999_us"));
    assertEquals(1000.0, figures.get("max_us"));
  }

  @Test
  void timesEveryCallAfterTheWarmUpAndChecksTheResults() throws Exception {
    AtomicInteger made = new AtomicInteger();
    Map<String, Double> figures = TimedCalls.latency(() -> {
      made.incrementAndGet();
      return 5;
    }, 5, 30, 70);
    assertEquals(100, made.get());
    assertEquals(70.0, figures.get("calls"));
    assertThrows(IllegalStateException.class, () -> TimedCalls.latency(() -> 4, 5, 0, 1));
  }
}
