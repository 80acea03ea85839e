package org.onyxrpc.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairCyclesTest {
  private static final String CLIENT = "org.onyxrpc.ben";
  private static final List<String> SERVERS = List.of("server-socket-b", "onyx-server-tcp");

  /**
   * A JMH worker (tid 230 of JVM 208) calling a dedicated server thread (238): a first cycle
   * across the two CPUs, each side woken on the other's idle CPU, then one on CPU 0 alone, where
   * the server preempts the client it was woken by and the client never sleeps; a compiler
   * thread's waking, an unrelated switch and perf's other lines among them.
   */
  private static final List<String> SCRIPT = List.of(
      "Samples do not have callchains.",
      // cycle 1 starts: the call wakes the server, which runs on CPU 1 9 µs later
      " org.onyxrpc.ben 208/230 [000] 100.000010:       sched:sched_waking: comm=onyx-server-tcp pid=238 prio=120 target_cpu=001",
      " org.onyxrpc.ben 208/230 [000] 100.000012:       sched:sched_waking: comm=C2 CompilerThre pid=215 prio=120 target_cpu=000",
      " org.onyxrpc.ben 208/230 [000] 100.000015:       sched:sched_switch: prev_comm=org.onyxrpc.ben prev_pid=230 prev_prio=120 prev_state=S ==> next_comm=C2 CompilerThre next_pid=215 next_prio=120",
      "          swapper     0/0     [001] 100.000019:       sched:sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=onyx-server-tcp next_pid=238 next_prio=120",
      // the server replies 8 µs later; the client runs on CPU 0 10 µs after that
      " onyx-server-tcp 208/238 [001] 100.000027:       sched:sched_waking: comm=org.onyxrpc.ben pid=230 prio=120 target_cpu=000",
      "   C2 CompilerThre 208/215 [000] 100.000037:       sched:sched_switch: prev_comm=C2 CompilerThre prev_pid=215 prev_prio=120 prev_state=S ==> next_comm=org.onyxrpc.ben next_pid=230 next_prio=120",
      " onyx-server-tcp 208/238 [001] 100.000038:       sched:sched_switch: prev_comm=onyx-server-tcp prev_pid=238 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120",
      // cycle 2 starts 11 µs later: the server runs on the client's CPU, preempting it
      " org.onyxrpc.ben 208/230 [000] 100.000048:       sched:sched_waking: comm=onyx-server-tcp pid=238 prio=120 target_cpu=001",
      " org.onyxrpc.ben 208/230 [000] 100.000050:       sched:sched_switch: prev_comm=org.onyxrpc.ben prev_pid=230 prev_prio=120 prev_state=R ==> next_comm=onyx-server-tcp next_pid=238 next_prio=120",
      " onyx-server-tcp 208/238 [000] 100.000058:       sched:sched_waking: comm=org.onyxrpc.ben pid=230 prio=120 target_cpu=000",
      " onyx-server-tcp 208/238 [000] 100.000059:       sched:sched_switch: prev_comm=onyx-server-tcp prev_pid=238 prev_prio=120 prev_state=S ==> next_comm=org.onyxrpc.ben next_pid=230 next_prio=120",
      // the next call ends cycle 2
      " org.onyxrpc.ben 208/230 [000] 100.000066:       sched:sched_waking: comm=onyx-server-tcp pid=238 prio=120 target_cpu=000");

  @Test
  void splitsCyclesByWhereEachSideRanAndTimesTheirParts() {
    List<PairCycles.Cycle> cycles = PairCycles.cycles(SCRIPT, CLIENT, SERVERS);

    assertEquals(List.of(
        new PairCycles.Cycle(PairCycles.Placement.OTHER, PairCycles.Placement.OTHER, 38_000,
            9_000, 8_000, 10_000, 11_000),
        // The server's wake-up hands it the CPU at once; the client, preempted by it, was woken
        // while runnable: the switch back to it counts as its run on the same CPU.
        new PairCycles.Cycle(PairCycles.Placement.SAME, PairCycles.Placement.SAME, 18_000,
            2_000, 8_000, 1_000, 7_000)),
        cycles);
  }

  @Test
  void reportsEachKindsShareLengthAndParts() {
    String report = PairCycles.report(PairCycles.cycles(SCRIPT, CLIENT, SERVERS));

    assertTrue(report.startsWith("2 cycles\n"), report);
    assertTrue(report.contains("| server other, client other | 50.0% | 38.0 | 38.0 | 9.0 | 8.0 | 10.0 | 11.0 |"),
        report);
    assertTrue(report.contains("| server same, client same | 50.0% | 18.0 | 18.0 | 2.0 | 8.0 | 1.0 | 7.0 |"),
        report);
  }

  @Test
  void aClientThatNeverSleptHasNoWakeUpOfItsOwn() {
    List<String> script = List.of(
        " org.onyxrpc.ben 208/230 [000] 100.000010:       sched:sched_waking: comm=server-socket-b pid=240 prio=120 target_cpu=000",
        " org.onyxrpc.ben 208/230 [000] 100.000011:       sched:sched_switch: prev_comm=org.onyxrpc.ben prev_pid=230 prev_prio=120 prev_state=R ==> next_comm=server-socket-b next_pid=240 next_prio=120",
        // the reply arrives while the client is runnable: woken, but no switch in for it yet
        " server-socket-b 208/240 [000] 100.000019:       sched:sched_waking: comm=org.onyxrpc.ben pid=230 prio=120 target_cpu=000",
        " org.onyxrpc.ben 208/230 [000] 100.000030:       sched:sched_waking: comm=server-socket-b pid=240 prio=120 target_cpu=000");

    List<PairCycles.Cycle> cycles = PairCycles.cycles(script, CLIENT, SERVERS);

    assertEquals(List.of(new PairCycles.Cycle(PairCycles.Placement.SAME, PairCycles.Placement.NONE,
        20_000, 1_000, 8_000, -1, -1)), cycles);
  }
}
