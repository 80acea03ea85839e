package org.onyxrpc.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedReportTest {
  /**
   * A client thread 612 of JVM 505 calling a C server (process 700) twice, with spinners (sh) and
   * a compiler thread of the client's JVM on the CPUs; perf's header lines, an idle CPU and a
   * switch outside the window among them.
   */
  private static final List<String> LISTING = List.of(
      "Samples do not have callchains.",
      "           time    cpu  task name                       wait time  sch delay   run time  state",
      "                        [tid/pid]                          (msec)     (msec)     (msec)       ",
      "--------------- ------  ------------------------------  ---------  ---------  ---------  -----",
      // before the window: not counted
      "      10.000100 [0000]  java[612/505]                       0.000      0.000      0.050      S  next: sh[900]",
      // call 1: the server woken, waits 3 µs behind a spinner, runs 20 µs
      "      10.001003 [0001]  sh[901]                             0.000      0.000      1.000      R  next: bench_server[700]",
      "      10.001023 [0001]  bench_server[700]                   0.500      0.003      0.020      S  next: sh[901]",
      // the client, woken at 10.001020, waits 10 µs behind a spinner, runs 30 µs
      "      10.001030 [0000]  sh[900]                             0.000      0.000      0.900      R  next: java[612]",
      "      10.001060 [0000]  java[612/505]                       0.900      0.010      0.030      S  next: sh[900]",
      // call 2: the client waits 200 µs behind its own JVM's compiler thread, is preempted
      "      10.002000 [0001]  <idle>                              0.000      0.000      0.900         next: bench_server[700]",
      "      10.002010 [0001]  bench_server[700]                   0.900      0.000      0.010      S  next: <idle>",
      "      10.002220 [0000]  C2 CompilerThre[659/505]            0.000      0.000      1.000      R  next: java[612]",
      "      10.002260 [0000]  java[612/505]                       0.950      0.200      0.040      R  next: sh[900]",
      // after the window: not counted
      "      10.009000 [0000]  java[612/505]                       0.000      0.000      0.050      S  next: sh[900]");

  private static final SchedReport.Window WINDOW = new SchedReport.Window(1, "onyx-to-c", "tcp",
      2, 505, 612, "pid:700", 10_000_500_000L, 10_003_000_000L);

  @Test
  void parsesSwitchLinesOnlyWithTheirTasks() {
    List<SchedReport.Switch> switches = SchedReport.parse(LISTING);
    assertEquals(10, switches.size());
    SchedReport.Switch compiler = switches.get(7);
    assertEquals(new SchedReport.Task("C2 CompilerThre", 659, 505), compiler.out());
    assertEquals(new SchedReport.Task("java", 612, 612), compiler.next()); // perf omits the pid
    assertEquals(10_002_220_000L, compiler.at());
    assertEquals("R", compiler.state());
    assertEquals(0, switches.get(5).out().tid()); // <idle>
  }

  @Test
  void aRunsFiguresAreItsClientsAndServersWakeUpsInItsWindow() {
    SchedReport.Figures f = SchedReport.figures(WINDOW, SchedReport.parse(LISTING));
    assertEquals(2, f.wakeUps());
    assertArrayEquals(new long[] {10_000, 200_000}, f.clientDelays());
    assertArrayEquals(new long[] {30_000, 40_000}, f.clientRuns());
    assertEquals(1, f.preempted());
    assertArrayEquals(new long[] {3_000, 0}, f.serverDelays());
    // Of two cycles, the band around the p99 is the second: 950 + 200 + 40 µs, behind the JIT.
    assertArrayEquals(new long[] {1_190_000}, f.tailCycles());
    assertEquals(200_000, f.tailDelay());
    assertEquals(40_000, f.tailRun());
    // The server's turn while the client slept: woken with no delay, ran 10 µs.
    assertEquals(0, f.tailServerDelay());
    assertEquals(10_000, f.tailServerRun());
    assertEquals(Map.of("the client's JVM: C2 CompilerThre", 1), f.heldAtTail());
  }

  @Test
  void theReportHasOneRowPerRun() {
    String report = SchedReport.report(List.of(WINDOW), SchedReport.parse(LISTING));
    String row = report.lines().filter(l -> l.startsWith("| onyx-to-c")).findFirst().orElseThrow();
    assertTrue(row.contains("| 1.00 |") && row.contains("| 500.0 |")
        && row.contains("the client's JVM: C2 CompilerThre 100%"), row);
  }
}
