package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
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

  @Test
  void theWindowIsTheCallingThreadsAndSpansTheTimedCallsOnly() throws Exception {
    long[] timed = new long[2];
    AtomicInteger made = new AtomicInteger();
    TimedWindow[] window = new TimedWindow[1];
    long before = System.nanoTime();
    TimedCalls.latency(() -> {
      if (made.incrementAndGet() == 4) {
        timed[0] = System.nanoTime(); // the first timed call, after three warm-up calls
      }
      timed[1] = System.nanoTime();
      return 5;
    }, 5, 3, 10, w -> window[0] = w);
    assertEquals(ProcessHandle.current().pid(), window[0].pid());
    assertEquals(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString(),
        Long.toString(window[0].tid()));
    assertTrue(before < window[0].fromNanos() && window[0].fromNanos() <= timed[0],
        window[0] + " from " + before + ", first timed call at " + timed[0]);
    assertTrue(timed[1] <= window[0].toNanos(), window[0] + ", last call at " + timed[1]);
  }

  @Test
  void echoFiguresAreTheCClientsKeysAndArithmetic() {
    // 300 echoes of 1 MiB in 2 s: 150 calls/s, 150 MiB/s each way.
    Map<String, Double> figures = TimedCalls.echoFigures(300, 1 << 20, 2_000_000_000L);
    assertEquals(List.of("calls", "size", "seconds", "calls_per_s", "mib_per_s"),
        List.copyOf(figures.keySet()));
    assertEquals(300.0, figures.get("calls"));
    assertEquals(1048576.0, figures.get("size"));
    assertEquals(2.0, figures.get("seconds"), 1e-12);
    assertEquals(150.0, figures.get("calls_per_s"), 1e-9);
    assertEquals(150.0, figures.get("mib_per_s"), 1e-9);
    // 65,536 bytes 10 times in 0.5 s: 20 calls/s, 1.25 MiB/s.
    assertEquals(1.25, TimedCalls.echoFigures(10, 65536, 500_000_000L).get("mib_per_s"), 1e-12);
  }

  @Test
  void echoTimesEveryCallAfterTheWarmUpAndChecksTheLengthEchoed() throws Exception {
    AtomicInteger made = new AtomicInteger();
    Map<String, Double> figures = TimedCalls.echo(() -> {
      made.incrementAndGet();
      return 4096;
    }, 4096, 20, 80);
    assertEquals(100, made.get());
    assertEquals(80.0, figures.get("calls"));
    assertEquals(4096.0, figures.get("size"));
    assertEquals(80 / figures.get("seconds"), figures.get("calls_per_s"), 1e-6);
    assertThrows(IllegalStateException.class, () -> TimedCalls.echo(() -> 4095, 4096, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> TimedCalls.echo(() -> 4096, 4096, 0, 0));
  }
}
