package org.onyxrpc.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report computes each ratio from JMH's JSON and the C client's medians, as documented. */
class RatioReportTest {
  @TempDir Path results;

  @Test
  void computesTheClientCoreRatiosAndVerdicts() throws IOException {
    write("jmh-main.json", "[" + String.join(",",
        sample("OnyxSyncCall.call", "{\"server\":\"onyx\",\"io\":\"CALLER_RUNS\"}",
            17.0, 40.0, "us/op"),
        sample("OnyxSyncCall.call",
            "{\"server\":\"onyx-dedicated\",\"io\":\"CALLER_RUNS\"}", 16.2, 35.0, "us/op"),
        sample("SocketPingPong.sync", "{\"server\":\"blocking\"}", 15.0, 30.0, "us/op"),
        sample("SocketPingPong.sync", "{\"server\":\"onyx-dedicated\"}", 15.6, 30.0, "us/op"),
        throughput("OnyxPipelined64.chained", "{\"io\":\"EVENT_LOOP\",\"server\":\"onyx\"}",
            500_000),
        throughput("GrpcCall.pipelined64Chained", "{}", 100_000),
        throughput("Oncrpc4jCall.pipelined64Chained", "{}", 160_000),
        throughput("Echo.echo", "{\"peer\":\"onyx\",\"size\":\"1048576\"}", 800),
        throughput("Echo.echo", "{\"peer\":\"onyx-dedicated\",\"size\":\"1048576\"}", 950),
        throughput("Echo.echo", "{\"peer\":\"socket\",\"size\":\"1048576\"}", 1_000),
        throughput("Echo.echo", "{\"peer\":\"socket\",\"size\":\"1024\"}", 9_999_999)) + "]");
    write("jmh-alloc.json", "[" + """
        {"benchmark":"org.onyxrpc.benchmarks.OnyxSyncCall.call","mode":"avgt",
         "params":{"server":"blocking","io":"CALLER_RUNS"},
         "primaryMetric":{"score":16.0,"scoreUnit":"us/op"},
         "secondaryMetrics":{"alloc.client.norm":{"score":310.4},"alloc.server.norm":{"score":0}}}
        """ + "]");

    String report = new RatioReport(Results.read(results)).clientCore();

    // Issue 11's targets are judged on the server with a thread per connection, the event-loop
    // server's figures shown beside them.
    assertRow(report, "sync p50, Onyx `CALLER_RUNS` → Onyx server with a thread per connection"
        + " (`TcpIo.DEDICATED_THREAD`) / socket baseline", "16.2", "15.0", "1.08×",
        "≤ 1.10×: met, judged on this server: the mode documented for sequential blocking callers");
    assertRow(report, "sync p50, Onyx `CALLER_RUNS` → Onyx server with its event loop /", "17.0",
        "15.0", "1.13×", "(diagnostic: the default server; the target is judged on the row above)");
    assertRow(report, "sync p50, socket client → Onyx server with a thread per connection", "15.6",
        "15.0", "1.04×", "(diagnostic)");
    assertRow(report, "64 outstanding, chained, Onyx `EVENT_LOOP` / best peer (Oncrpc4jCall)",
        "500,000", "160,000", "3.13×", "≥ 490,000 calls/s: met");
    assertRow(report, "1 MiB echo, Onyx `onyx-dedicated`: `CALLER_RUNS` → server with a thread"
        + " per connection /", "950", "1,000", "0.95×", "≥ 1.00×: **missed**, judged on this"
        + " server: the mode documented for sequential blocking callers");
    assertRow(report, "1 MiB echo, Onyx `onyx`: `CALLER_RUNS` → server with its event loop /",
        "800", "1,000", "0.80×",
        "(diagnostic: the default server; the target is judged on the row above)");
    assertRow(report, "client allocation per small call, `CALLER_RUNS`", "310", "—", "—",
        "≤ 128 B: **missed**");
    assertRow(report, "sync p50, Onyx `EVENT_LOOP` → Onyx server with its event loop", "—",
        "15.0", "—",
        "(the default strategy; no target)");
  }

  @Test
  void judgesTheSyncRowsOfTheSyncRoundsRoundByRound() throws IOException {
    // The socket baseline's p50 is 20, 25, 30 µs in rounds 1 to 3, Onyx → Onyx dedicated's 18,
    // 30, 31.5: round by round 0.90×, 1.20×, 1.05× (median 1.05×, met), where the medians' ratio
    // is 30 / 25 = 1.20× (missed). Each benchmark in its own file, as run.sh writes them.
    double[][] p50 = {
        // socket, selector, Onyx client → socket, socket → dedicated, Onyx → dedicated, the same
        // with no look before the wait
        {20, 21, 22, 20, 18, 22}, {25, 26, 25, 26, 30, 27.5}, {30, 33, 33, 30, 31.5, 36}};
    String[][] rows = {
        {"1-socket", "SocketPingPong.sync", "{\"server\":\"blocking\"}"},
        {"2-selector", "SocketPingPong.selectorSync", "{\"server\":\"blocking\"}"},
        {"3-onyx-client", "OnyxSyncCall.call", "{\"server\":\"blocking\",\"io\":\"CALLER_RUNS\"}"},
        {"4-socket-dedicated", "SocketPingPong.sync", "{\"server\":\"onyx-dedicated\"}"},
        {"5-onyx-dedicated", "OnyxSyncCall.call",
            "{\"server\":\"onyx-dedicated\",\"io\":\"CALLER_RUNS\"}"},
        {"6-onyx-dedicated-no-poll", "OnyxSyncCall.call",
            "{\"server\":\"onyx-dedicated\",\"io\":\"CALLER_RUNS\",\"poll\":\"0\"}"},
    };
    for (int round = 1; round <= 3; round++) {
      for (int i = 0; i < rows.length; i++) {
        write("jmh-sync-r" + round + "-" + rows[i][0] + ".json", "[" + sample(rows[i][1],
            rows[i][2], p50[round - 1][i], 2 * p50[round - 1][i], "us/op") + "]");
      }
    }
    // Measured once, apart from the rounds: over the rounds' median socket baseline, 25 µs.
    write("jmh-1-sync-onyx.json", "[" + sample("OnyxSyncCall.call",
        "{\"server\":\"onyx\",\"io\":\"CALLER_RUNS\"}", 30.0, 60.0, "us/op") + "]");

    String report = new RatioReport(Results.read(results)).clientCore();

    assertRow(report, "sync p50, Onyx `CALLER_RUNS` → Onyx server with a thread per connection"
        + " (`TcpIo.DEDICATED_THREAD`) / socket baseline", "30.0", "25.0", "1.05×",
        "≤ 1.10×: met, judged on this server: the mode documented for sequential blocking callers;"
            + " median of 3 alternating rounds: 0.90, 1.20, 1.05; the selector-waiting socket"
            + " client's floor in the same rounds: 1.05×");
    // Selector 21/20, 26/25, 33/30: 1.05, 1.04, 1.10.
    assertRow(report, "sync p50, selector-waiting socket client → socket server", "26.0", "25.0",
        "1.05×", "(diagnostic); median of 3 alternating rounds: 1.05, 1.04, 1.10");
    assertRow(report, "sync p50, Onyx `CALLER_RUNS` client → socket server", "25.0", "25.0",
        "1.10×", "(diagnostic); median of 3 alternating rounds: 1.10, 1.00, 1.10");
    assertRow(report, "sync p50, socket client → Onyx server with a thread per connection",
        "26.0", "25.0", "1.00×", "(diagnostic); median of 3 alternating rounds: 1.00, 1.04, 1.00");
    // Judged above on the default client (a run from before the parameter has none), apart from
    // the one that does not look: 22/20, 27.5/25, 36/30.
    assertRow(report, "sync p50, Onyx `CALLER_RUNS` → Onyx server with a thread per connection,"
        + " no look before the wait", "27.5", "25.0", "1.10×",
        "(diagnostic); median of 3 alternating rounds: 1.10, 1.10, 1.20");
    assertRow(report, "sync p50, Onyx `CALLER_RUNS` → Onyx server with its event loop /", "30.0",
        "25.0", "1.20×", "(diagnostic: the default server; the target is judged on the row above)");
    assertTrue(report.endsWith(RatioReport.SYNC_ROUNDS_NOTE), report);
  }

  @Test
  void aRatioJustPastItsLimitShowsAThirdDecimal() throws IOException {
    // Onyx → Onyx dedicated over the socket baseline: 1.00, 1.104, 1.20 (median 1.104, missed),
    // which two decimals would show as "1.10×" beside "missed".
    double[] onyx = {20, 22.08, 24};
    String[][] rows = {
        {"1-socket", "SocketPingPong.sync", "{\"server\":\"blocking\"}"},
        {"5-onyx-dedicated", "OnyxSyncCall.call",
            "{\"server\":\"onyx-dedicated\",\"io\":\"CALLER_RUNS\"}"},
    };
    for (int round = 1; round <= 3; round++) {
      double[] p50 = {20, onyx[round - 1]};
      for (int i = 0; i < rows.length; i++) {
        write("jmh-sync-r" + round + "-" + rows[i][0] + ".json",
            "[" + sample(rows[i][1], rows[i][2], p50[i], 2 * p50[i], "us/op") + "]");
      }
    }

    String report = new RatioReport(Results.read(results)).clientCore();

    assertRow(report, "sync p50, Onyx `CALLER_RUNS` → Onyx server with a thread per connection"
        + " (`TcpIo.DEDICATED_THREAD`) / socket baseline", "22.1", "20.0", "1.104×",
        "≤ 1.10×: **missed**, judged on this server: the mode documented for sequential blocking"
            + " callers; median of 3 alternating rounds: 1.00, 1.10, 1.20");
    assertEquals("1.10×", Markdown.ratio(OptionalDouble.of(1.10), 1.10), "the limit itself");
    assertEquals("1.09×", Markdown.ratio(OptionalDouble.of(1.094), 1.10));
    assertEquals("0.795×", Markdown.ratio(OptionalDouble.of(0.795), 0.80));
  }

  @Test
  void aFolderWithoutSyncRoundsSaysNothingOfThem() throws IOException {
    write("jmh-main.json", "[" + sample("SocketPingPong.sync", "{\"server\":\"blocking\"}",
        15.0, 30.0, "us/op") + "]");
    String report = new RatioReport(Results.read(results)).clientCore();
    assertFalse(report.contains("rounds"), report);
  }

  @Test
  void comparesEveryPairingWithCToC() throws IOException {
    write("jmh-c.json", "[" + String.join(",",
        sample("CPeerSyncCall.call", "{\"server\":\"c\",\"client\":\"tcp-caller-runs\"}",
            18_400, 56_600, "ns/op"),
        sample("CPeerSyncCall.call", "{\"server\":\"onyx\",\"client\":\"udp-event-loop\"}",
            16.5, 50.0, "us/op"),
        sample("CPeerSyncCall.call", "{\"server\":\"c\",\"client\":\"udp-caller-runs\"}",
            15.3, 40.8, "us/op"),
        sample("CPeerSyncCall.call", "{\"server\":\"c\",\"client\":\"tcp-socket\"}",
            17.6, 39.8, "us/op"),
        sample("CPeerSyncCall.call", "{\"server\":\"c\",\"client\":\"tcp-socket-deadline\"}",
            19.4, 21.89, "us/op"),
        throughput("Echo.echo", "{\"peer\":\"onyx\",\"size\":\"1048576\"}", 1_300)) + "]");
    write("c-clients.json", """
        {"medians":[
          {"pair":"c-to-c","transport":"tcp","workload":"latency",
           "figures":{"p50_us":17.6,"p99_us":19.9}},
          {"pair":"c-to-c","transport":"udp","workload":"latency",
           "figures":{"p50_us":14.6,"p99_us":37.1}},
          {"pair":"c-to-c","transport":"tcp","workload":"echo","figures":{"mib_per_s":1527}},
          {"pair":"c-to-onyx","transport":"tcp","workload":"latency",
           "figures":{"p50_us":18.1,"p99_us":59.5}},
          {"pair":"c-to-onyx-dedicated","transport":"tcp","workload":"latency",
           "figures":{"p50_us":17.9,"p99_us":21.0}},
          {"pair":"c-to-jvm","transport":"udp","workload":"latency",
           "figures":{"p50_us":17.52,"p99_us":55.65}},
          {"pair":"c-to-netty","transport":"tcp","workload":"latency",
           "figures":{"p50_us":21.12,"p99_us":23.88}},
          {"pair":"onyx-to-c","transport":"tcp","workload":"latency",
           "figures":{"p50_us":19.36,"p99_us":21.89}},
          {"pair":"onyx-event-loop-to-c","transport":"tcp","workload":"latency",
           "figures":{"p50_us":35.2,"p99_us":39.8}},
          {"pair":"jvm-deadline-to-c","transport":"tcp","workload":"latency",
           "figures":{"p50_us":19.36,"p99_us":23.88}}
        ]}""");

    String report = new RatioReport(Results.read(results)).cReference();

    assertRow(report, "C → C", "17.6 / 19.9", "14.6 / 37.1", "1,527");
    assertRow(report, "Onyx `CALLER_RUNS` → C", "18.4 / 56.6", "15.3 / 40.8", "—");
    // Ratios: TCP p50 18.4/17.6, p99 56.6/19.9 (missed: bold); UDP p50 15.3/14.6 (met).
    assertRow(report, "Onyx `CALLER_RUNS` → C", "1.05×", "**2.84×**", "1.05×", "1.10×", "—");
    assertRow(report, "C → Onyx", "1.03×", "**2.99×**", "—", "—", "—");
    // A thread per connection, TCP only, judged as C → Onyx is: p99 21.0/19.9 met, no bold.
    assertRow(report, "C → Onyx, a thread per TCP connection", "17.9 / 21.0", "— / —", "—");
    assertRow(report, "C → Onyx, a thread per TCP connection", "1.02×", "1.06×", "—", "—", "—");
    // Onyx on both ends: UDP p50 16.5/14.6 (missed), echo 1300/1527 (met: ≥ 0.80×).
    assertRow(report, "Onyx `EVENT_LOOP` → Onyx", "—", "—", "**1.13×**", "1.35×", "—");
    assertRow(report, "Onyx `CALLER_RUNS` → Onyx", "—", "—", "—", "—", "0.85× (≥ 0.80×)");
    // A run from before the C client's rounds timed Onyx on both ends: judged on JMH's echo.
    assertRow(report, "Onyx `CALLER_RUNS` → Onyx, in the C client's rounds", "—", "—", "—", "—",
        "—");
    assertTrue(report.contains("1 MiB echo, Onyx `CALLER_RUNS` on both ends / C → C (≥ 0.80×): "
        + "0.85× (met), judged on JMH's `Echo.echo` over the C client's C → C: the C client's"
        + " rounds did not time Onyx on both ends."), report);
    // The JVM's floor is measured against the same targets but never judged: no bold.
    assertRow(report, "JVM floor: blocking JDK socket → C", "1.00×", "2.00×", "—", "—", "—");
    assertRow(report, "JVM floor with a deadline: JDK socket with a read timeout → C", "1.10×",
        "1.10×", "—", "—", "—");
    assertRow(report, "JVM floor: C → blocking JDK socket server", "—", "—", "1.20×", "1.50×",
        "—");
    // The event loop's floor is TCP only, and never judged either.
    assertRow(report, "Event-loop floor: C → Netty's event loop, TCP only", "1.20×", "1.20×", "—",
        "—", "—");
    // Java clients timed in the C client's rounds: Onyx's is judged (met), the floor's is not.
    assertRow(report, "Onyx `CALLER_RUNS` → C, in the C client's rounds", "19.4 / 21.9", "— / —",
        "—");
    assertRow(report, "Onyx `CALLER_RUNS` → C, in the C client's rounds", "1.10×", "1.10×", "—",
        "—", "—");
    assertRow(report, "Onyx `EVENT_LOOP` → C, in the C client's rounds", "2.00×", "**2.00×**",
        "—", "—", "—");
    assertRow(report, "JVM floor with a deadline → C, in the C client's rounds", "1.10×",
        "1.20×", "—", "—", "—");
  }

  @Test
  void judgesThePairsOfTheCClientsRoundsRoundByRound() throws IOException {
    // C → C's p99 is 70, 70, 140 µs in rounds 1 to 3, Onyx's 77, 140, 140: round by round
    // 1.10×, 2.00×, 1.00× (median 1.10×, met), where the medians' ratio is 140 / 70 = 2.00×.
    StringBuilder runs = new StringBuilder();
    double[][] p99 = {{70, 77}, {70, 140}, {140, 140}};
    for (int round = 1; round <= 3; round++) {
      runs.append(round == 1 ? "" : ",").append(String.format("""
          {"round":%d,"pair":"c-to-c","transport":"tcp","workload":"latency",
           "figures":{"p50_us":20,"p99_us":%s}},
          {"round":%d,"pair":"onyx-to-c","transport":"tcp","workload":"latency",
           "figures":{"p50_us":22,"p99_us":%s}}""", round, p99[round - 1][0], round,
          p99[round - 1][1]));
    }
    write("c-clients.json", """
        {"runs":[%s],
         "medians":[
          {"pair":"c-to-c","transport":"tcp","workload":"latency",
           "figures":{"p50_us":20,"p99_us":70}},
          {"pair":"onyx-to-c","transport":"tcp","workload":"latency",
           "figures":{"p50_us":22,"p99_us":140}}
        ]}""".formatted(runs));

    String report = new RatioReport(Results.read(results)).cReference();

    assertRow(report, "Onyx `CALLER_RUNS` → C, in the C client's rounds", "22.0 / 140.0",
        "— / —", "—");
    assertRow(report, "Onyx `CALLER_RUNS` → C, in the C client's rounds", "1.10×", "1.10×", "—",
        "—", "—");
  }

  @Test
  void judgesTheEchoOfOnyxOnBothEndsInTheCClientsRounds() throws IOException {
    write("jmh-echo.json", "[" + throughput("Echo.echo",
        "{\"peer\":\"onyx\",\"size\":\"1048576\"}", 1_300) + "]");
    // C → C echoes 1,000, 2,000, 1,000 MiB/s in rounds 1 to 3, Onyx → Onyx 900, 1,400, 700:
    // round by round 0.90×, 0.70×, 0.70× (median 0.70×, missed), where the medians' ratio is
    // 900 / 1,000 = 0.90×. Onyx → C echoes 850, 1,700, 850: 0.85× in every round, no target.
    double[][] echo = {{1000, 900, 850}, {2000, 1400, 1700}, {1000, 700, 850}};
    StringBuilder runs =
        new StringBuilder(echoRuns(echo, "c-to-c", "onyx-to-onyx", "onyx-to-c"));
    for (int round = 1; round <= 3; round++) {
      runs.append(',')
          .append(run(round, "c-to-c", "tcp", "latency", "\"p50_us\":20,\"p99_us\":40"))
          .append(',').append(run(round, "onyx-to-onyx", "tcp", "latency",
              "\"p50_us\":21,\"p99_us\":48"))
          .append(',').append(run(round, "c-to-c", "udp", "latency", "\"p50_us\":16,\"p99_us\":30"))
          .append(',').append(run(round, "onyx-to-onyx", "udp", "latency",
              "\"p50_us\":20,\"p99_us\":33"));
    }
    write("c-clients.json", """
        {"runs":[%s],
         "medians":[
          %s, %s, %s, %s, %s, %s, %s
        ]}""".formatted(runs,
        median("c-to-c", "tcp", "echo", "\"mib_per_s\":1000"),
        median("onyx-to-onyx", "tcp", "echo", "\"mib_per_s\":900"),
        median("onyx-to-c", "tcp", "echo", "\"mib_per_s\":850"),
        median("c-to-c", "tcp", "latency", "\"p50_us\":20,\"p99_us\":40"),
        median("onyx-to-onyx", "tcp", "latency", "\"p50_us\":21,\"p99_us\":48"),
        median("c-to-c", "udp", "latency", "\"p50_us\":16,\"p99_us\":30"),
        median("onyx-to-onyx", "udp", "latency", "\"p50_us\":20,\"p99_us\":33")));

    String report = new RatioReport(Results.read(results)).cReference();

    assertRow(report, "Onyx `CALLER_RUNS` → Onyx, in the C client's rounds", "21.0 / 48.0",
        "20.0 / 33.0", "900");
    // TCP p99 48/40 and UDP p50 20/16 missed; the echo judged round by round: 0.70×, missed.
    assertRow(report, "Onyx `CALLER_RUNS` → Onyx, in the C client's rounds", "1.05×",
        "**1.20×**", "**1.25×**", "1.10×", "**0.70×** (≥ 0.80×)");
    assertRow(report, "Onyx `CALLER_RUNS` → C, in the C client's rounds", "— / —", "— / —",
        "850");
    assertRow(report, "Onyx `CALLER_RUNS` → C, in the C client's rounds", "—", "—", "—", "—",
        "0.85×");
    // JMH's Onyx → Onyx echo, 1,300 / 1,000, is shown but no longer judged.
    assertRow(report, "Onyx `CALLER_RUNS` → Onyx", "—", "—", "—", "—", "1.30×");
    assertTrue(report.contains("1 MiB echo, Onyx `CALLER_RUNS` on both ends / C → C (≥ 0.80×): "
        + "0.70× (**missed**), judged in the C client's rounds (onyx-to-onyx / c-to-c, round by"
        + " round); JMH's `Echo.echo` over the C client's C → C: 1.30×, not judged."), report);
  }

  @Test
  void showsTheEchoWithNettyBuffersBesideTheJudgedOne() throws IOException {
    // C → C echoes 1,000, 2,000, 1,000 MiB/s; Onyx → Onyx with byte[] 700, 1,400, 700 (0.70×
    // each round, judged, missed); with Netty buffers 900, 1,700, 800: 0.90×, 0.85×, 0.80×,
    // median 0.85×, shown and not judged.
    double[][] echo = {{1000, 700, 900}, {2000, 1400, 1700}, {1000, 700, 800}};
    String runs = echoRuns(echo, "c-to-c", "onyx-to-onyx", "onyx-buffers-to-onyx");
    write("c-clients.json", """
        {"runs":[%s],
         "medians":[%s, %s, %s]}""".formatted(runs,
        median("c-to-c", "tcp", "echo", "\"mib_per_s\":1000"),
        median("onyx-to-onyx", "tcp", "echo", "\"mib_per_s\":700"),
        median("onyx-buffers-to-onyx", "tcp", "echo", "\"mib_per_s\":900")));

    String report = new RatioReport(Results.read(results)).cReference();

    String row = "Onyx `CALLER_RUNS` → Onyx, Netty buffers in and out, in the C client's rounds"
        + " (echo only)";
    assertRow(report, row, "— / —", "— / —", "900");
    assertRow(report, row, "—", "—", "—", "—", "0.85×");
    assertTrue(report.contains("1 MiB echo, Onyx `CALLER_RUNS` on both ends / C → C (≥ 0.80×): "
        + "0.70× (**missed**), judged in the C client's rounds"), report);
    assertTrue(report.contains(" With Netty buffers in and out of the client instead of `byte[]`,"
        + " in the same rounds (onyx-buffers-to-onyx / c-to-c): 0.85× (met), not judged:"
        + " generated stubs pass `byte[]`.\n"), report);
  }

  @Test
  void showsTheLeastJavaEchoesOfBothDesignsRoundByRound() throws IOException {
    // C → C echoes 1,000, 2,000, 1,000 MiB/s; least Java read whole 600, 1,400, 700 (0.60×,
    // 0.70×, 0.70×: median 0.70×); decoded as it arrives 900, 1,600, 850 (0.90×, 0.80×, 0.85×).
    double[][] echo = {{1000, 600, 900}, {2000, 1400, 1600}, {1000, 700, 850}};
    String runs = echoRuns(echo, "c-to-c", "least-whole-to-least-whole",
        "least-arriving-to-least-arriving");
    write("c-clients.json", """
        {"runs":[%s],
         "medians":[%s, %s, %s]}""".formatted(runs,
        median("c-to-c", "tcp", "echo", "\"mib_per_s\":1000"),
        median("least-whole-to-least-whole", "tcp", "echo", "\"mib_per_s\":700"),
        median("least-arriving-to-least-arriving", "tcp", "echo", "\"mib_per_s\":900")));

    String report = new RatioReport(Results.read(results)).cReference();

    assertRow(report, RatioReport.LEAST_WHOLE_ROW, "— / —", "— / —", "700");
    assertRow(report, RatioReport.LEAST_WHOLE_ROW, "—", "—", "—", "—", "0.70×");
    assertRow(report, RatioReport.LEAST_ARRIVING_ROW, "— / —", "— / —", "900");
    assertRow(report, RatioReport.LEAST_ARRIVING_ROW, "—", "—", "—", "—", "0.85×");
  }

  @Test
  void comparesTlsWithPlaintextPerProvider() throws IOException {
    write("jmh-tls.json", "[" + String.join(",",
        sample("TlsSyncCall.call", "{\"tls\":\"plain\"}", 20.0, 40.0, "us/op"),
        sample("TlsSyncCall.call", "{\"tls\":\"jdk\"}", 30.0, 60.0, "us/op"),
        sample("TlsSyncCall.call", "{\"tls\":\"openssl\"}", 25.0, 50.0, "us/op"),
        throughput("TlsEcho.echo", "{\"tls\":\"plain\",\"size\":\"1048576\"}", 1_000),
        throughput("TlsEcho.echo", "{\"tls\":\"jdk\",\"size\":\"1048576\"}", 400),
        throughput("TlsEcho.echo", "{\"tls\":\"openssl\",\"size\":\"1048576\"}", 800)) + "]");

    String report = new RatioReport(Results.read(results)).render();

    assertRow(report, "none (plaintext)", "20.0", "—", "1,000", "—");
    assertRow(report, "`jdk`", "30.0", "1.50×", "400", "2.50× **missed**");
    assertRow(report, "`openssl`", "25.0", "1.25×", "800", "1.25× met");
  }

  @Test
  void leavesTlsOutWhenItWasNotMeasured() throws IOException {
    write("jmh-main.json", "[" + throughput("Echo.echo", "{\"peer\":\"onyx\",\"size\":\"1048576\"}", 1_100) + "]");
    assertFalse(new RatioReport(Results.read(results)).render().contains("TLS"));
  }

  @Test
  void headerListsTheRunPropertiesInOrder() throws IOException {
    write("run.properties", "commit=abc123 (clean)\nregime=busy\n");
    String header = RatioReport.header(results);
    assertTrue(header.indexOf("| commit | `abc123 (clean)` |")
        < header.indexOf("| regime | `busy` |"), header);
  }

  @Test
  void aFileThatIsNotAResultArrayIsRefused() throws IOException {
    write("jmh-broken.json", "{\"benchmark\":\"x\"}");
    assertThrows(IOException.class, () -> Results.read(results));
  }

  @Test
  void convertsTimeUnitsToMicroseconds() {
    assertEquals(0.001, JmhResult.microsPer("ns/op"));
    assertEquals(1000.0, JmhResult.microsPer("ms/op"));
    assertThrows(IllegalArgumentException.class, () -> JmhResult.microsPer("ops/s"));
  }

  /** Asserts that a row starting with {@code first} has exactly these {@code cells} after it. */
  private static void assertRow(String report, String first, String... cells) {
    String expected = String.join(" | ", cells) + " |";
    List<String> rows = report.lines()
        .filter(line -> line.startsWith("| " + first))
        .toList();
    assertTrue(rows.stream().anyMatch(row -> row.endsWith(" | " + expected)),
        "no row '" + first + " … " + expected + "' in:\n" + report);
  }

  /** One round's figures of a pair, as {@code CClientRuns} writes them. */
  private static String run(int round, String pair, String transport, String workload,
      String figures) {
    return "{\"round\":" + round + "," + median(pair, transport, workload, figures).substring(1);
  }

  /** Round by round, the echo MiB/s of {@code pairs}, {@code mib[round - 1][pair]}. */
  private static String echoRuns(double[][] mib, String... pairs) {
    StringBuilder runs = new StringBuilder();
    for (int round = 1; round <= mib.length; round++) {
      for (int i = 0; i < pairs.length; i++) {
        runs.append(runs.isEmpty() ? "" : ",").append(
            run(round, pairs[i], "tcp", "echo", "\"mib_per_s\":" + mib[round - 1][i]));
      }
    }
    return runs.toString();
  }

  /** The median figures of a pair, as {@code CClientRuns} writes them. */
  private static String median(String pair, String transport, String workload, String figures) {
    return """
        {"pair":"%s","transport":"%s","workload":"%s","figures":{%s}}"""
        .formatted(pair, transport, workload, figures);
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(results.resolve(name), content);
  }

  private static String sample(String benchmark, String params, double p50, double p99,
      String unit) {
    return """
        {"benchmark":"org.onyxrpc.benchmarks.%s","mode":"sample","params":%s,
         "primaryMetric":{"score":%s,"scoreUnit":"%s",
           "scorePercentiles":{"50.0":%s,"99.0":%s}},"secondaryMetrics":{}}
        """.formatted(benchmark, params, p50, unit, p50, p99);
  }

  private static String throughput(String benchmark, String params, double perSecond) {
    return """
        {"benchmark":"org.onyxrpc.benchmarks.%s","mode":"thrpt","params":%s,
         "primaryMetric":{"score":%s,"scoreUnit":"ops/s"},"secondaryMetrics":{}}
        """.formatted(benchmark, params, perSecond);
  }
}
