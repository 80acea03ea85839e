package org.onyxrpc.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where the small calls' time goes in the scheduler's view: reads a {@code perf sched timehist -n
 * --state} listing of a trace recorded with {@code CLOCK_MONOTONIC} and the windows file of
 * {@code CClientRuns --windows}, and writes, for each latency run, what the calling thread's
 * wake-ups cost: how long it waited on the run queue after each wake-up (the scheduling delay),
 * how long it then ran, how often it was preempted, the same delay for whoever answered, and, at
 * the calling thread's wake-ups around the p99, which task held its CPU. {@code benchmarks/sched.sh} runs
 * it.
 *
 * <pre>java -cp benchmarks.jar org.onyxrpc.benchmarks.report.SchedReport timehist.txt windows.tsv</pre>
 *
 * <p>A line of the listing is one switch: at {@code time} on {@code cpu}, {@code task} left the
 * CPU after running {@code run} ms, having waited {@code sch delay} ms on the run queue since its
 * wake-up and slept {@code wait time} ms before that; {@code next} is the task that took the CPU,
 * so the line whose {@code next} is the calling thread names the task it waited behind.
 */
public final class SchedReport {
  private static final Pattern TASK = Pattern.compile("(.*?)\\[(\\d+)(?:/(\\d+))?\\]");
  private static final Pattern LINE = Pattern.compile(
      "^\\s*(\\d+\\.\\d+)\\s+\\[(\\d+)\\]\\s+(.+?)\\s+(\\d+\\.\\d+)\\s+(\\d+\\.\\d+)\\s+(\\d+\\.\\d+)"
          + "(?:\\s+([A-Za-z]+))?\\s+next:\\s+(.+?)\\s*$");
  /** The kernel keeps 15 characters of a thread's name. */
  private static final int COMM_LENGTH = 15;
  /**
   * The band of a run's cycles looked at more closely, as fractions of the cycles sorted from
   * fastest: around the p99 that the targets judge, without the few far slower outliers (a
   * millisecond behind a spinner's full slice) whose mean would hide it.
   */
  private static final double BAND_FROM = 0.98;
  private static final double BAND_TO = 0.995;

  /** A task as the listing names it; {@code pid} is {@code tid} for a single-threaded process. */
  record Task(String comm, long tid, long pid) {
    static Task parse(String text) {
      Matcher m = TASK.matcher(text.trim());
      if (!m.matches()) {
        return new Task(text.trim(), 0, 0); // <idle>
      }
      long tid = Long.parseLong(m.group(2));
      return new Task(m.group(1), tid, m.group(3) == null ? tid : Long.parseLong(m.group(3)));
    }
  }

  /**
   * One switch, times in ns on the trace's clock: {@code out} left {@code cpu} at {@code at}
   * after running {@code runNanos}, {@code delayNanos} after its wake-up, in {@code state} (R:
   * preempted, still runnable); {@code next} took the CPU.
   */
  record Switch(long at, int cpu, Task out, long waitNanos, long delayNanos, long runNanos,
      String state, Task next) {
    long switchedIn() {
      return at - runNanos;
    }
  }

  /** A line of the windows file: a run's calling thread, who answered, the timed span. */
  record Window(int round, String pair, String transport, long calls, long clientPid,
      long clientTid, String server, long fromNanos, long toNanos) {
    static Window parse(String line) {
      String[] f = line.split("\t");
      return new Window(Integer.parseInt(f[0]), f[1], f[2], Long.parseLong(f[3]),
          Long.parseLong(f[4]), Long.parseLong(f[5]), f[6], Long.parseLong(f[7]),
          Long.parseLong(f[8]));
    }

    boolean covers(Switch s) {
      return s.switchedIn() >= fromNanos && s.at() <= toNanos;
    }

    /** Whether {@code task} answered the calls: {@code pid:N} or {@code threads:PID:PREFIX}. */
    boolean answeredBy(Task task) {
      String[] f = server.split(":", 3);
      if (f[0].equals("pid")) {
        return task.pid() == Long.parseLong(f[1]);
      }
      String prefix = f[2].substring(0, Math.min(COMM_LENGTH, f[2].length()));
      return task.pid() == Long.parseLong(f[1]) && task.comm().startsWith(prefix);
    }
  }

  /** What one run's calling thread and server went through. */
  record Figures(Window window, int wakeUps, long[] clientDelays, long[] clientRuns,
      int preempted, long[] serverDelays, long[] tailCycles, long tailDelay, long tailRun,
      long tailServerDelay, long tailServerRun, Map<String, Integer> heldAtTail) {}

  private SchedReport() {}

  /** Parses the listing's switch lines; headers and anything else are skipped. */
  static List<Switch> parse(List<String> lines) {
    List<Switch> switches = new ArrayList<>();
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        switches.add(new Switch(nanos(m.group(1), 1e9), Integer.parseInt(m.group(2)),
            Task.parse(m.group(3)), nanos(m.group(4), 1e6), nanos(m.group(5), 1e6),
            nanos(m.group(6), 1e6), m.group(7) == null ? "" : m.group(7),
            Task.parse(m.group(8))));
      }
    }
    return switches;
  }

  private static long nanos(String value, double perUnit) {
    return Math.round(Double.parseDouble(value) * perUnit);
  }

  /** One run's figures from every switch of the trace. */
  static Figures figures(Window window, List<Switch> switches) {
    List<Switch> client = new ArrayList<>();
    List<Switch> server = new ArrayList<>();
    Map<Long, Switch> behindClient = new HashMap<>(); // switch time -> who left the CPU to it
    for (Switch s : switches) {
      if (s.out().tid() == window.clientTid() && window.covers(s)) {
        client.add(s);
      } else if (window.answeredBy(s.out()) && window.covers(s)) {
        server.add(s);
      }
      if (s.next().tid() == window.clientTid()) {
        behindClient.put(s.at(), s);
      }
    }
    long[] delays = client.stream().mapToLong(Switch::delayNanos).toArray();
    long[] runs = client.stream().mapToLong(Switch::runNanos).toArray();
    int preempted = (int) client.stream().filter(s -> s.state().equals("R")).count();
    // A cycle: asleep, woken, waiting for a CPU, running until the thread next leaves it.
    List<Switch> sorted = client.stream()
        .sorted(Comparator.comparingLong(s -> s.waitNanos() + s.delayNanos() + s.runNanos()))
        .toList();
    int from = (int) Math.min(sorted.size() - 1L, (long) Math.floor(sorted.size() * BAND_FROM));
    int to = (int) Math.max(from + 1L, (long) Math.ceil(sorted.size() * BAND_TO));
    List<Switch> band = sorted.isEmpty() ? List.of() : sorted.subList(from, to);
    Map<String, Integer> held = new LinkedHashMap<>();
    long tailDelay = 0;
    long tailRun = 0;
    long tailServerDelay = 0;
    long tailServerRun = 0;
    for (Switch s : band) {
      tailDelay += s.delayNanos();
      tailRun += s.runNanos();
      long asleep = s.switchedIn() - s.delayNanos() - s.waitNanos();
      for (Switch answer : server) { // the server's turns while the client slept
        if (answer.switchedIn() >= asleep && answer.at() <= s.switchedIn()) {
          tailServerDelay += answer.delayNanos();
          tailServerRun += answer.runNanos();
        }
      }
      Switch before = behindClient.get(s.switchedIn());
      if (s.delayNanos() > 0 && before != null) {
        held.merge(holder(before.out(), window), 1, Integer::sum);
      }
    }
    long[] cycles = band.stream()
        .mapToLong(s -> s.waitNanos() + s.delayNanos() + s.runNanos()).toArray();
    int n = Math.max(1, band.size());
    return new Figures(window, client.size(), delays, runs, preempted,
        server.stream().mapToLong(Switch::delayNanos).toArray(), cycles, tailDelay / n,
        tailRun / n, tailServerDelay / n, tailServerRun / n, held);
  }

  /** Who held the CPU, in the words of the report. */
  private static String holder(Task task, Window window) {
    if (task.tid() == 0) {
      return "idle";
    }
    if (window.answeredBy(task)) {
      return "the server";
    }
    if (task.pid() == window.clientPid()) {
      return "the client's JVM: " + task.comm();
    }
    return task.comm();
  }

  /** The markdown report of every run. */
  static String report(List<Window> windows, List<Switch> switches) {
    StringBuilder out = new StringBuilder();
    out.append("| pair | transport | round | wake-ups / call | client's delay after wake-up"
        + " p50 / p99 / mean per call (µs) | client's run per wake-up p50 / p99 (µs) | preempted"
        + " / 1,000 calls | server's delay p50 / p99 (µs) | the client's cycles from p98 to p99.5,"
        + " mean (µs): cycle / client's delay / client's run / server's delay / server's run |"
        + " who held the client's CPU then |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Window w : windows) {
      Figures f = figures(w, switches);
      out.append(String.format(Locale.ROOT,
          "| %s | %s | %d | %.2f | %s / %s / %s | %s / %s | %.1f | %s / %s | %s / %s / %s / %s / %s"
              + " | %s |%n",
          w.pair(), w.transport(), w.round(), f.wakeUps() / (double) w.calls(),
          micros(percentile(f.clientDelays(), 0.5)), micros(percentile(f.clientDelays(), 0.99)),
          micros(Arrays.stream(f.clientDelays()).sum() / Math.max(1, w.calls())),
          micros(percentile(f.clientRuns(), 0.5)), micros(percentile(f.clientRuns(), 0.99)),
          f.preempted() * 1000.0 / w.calls(),
          micros(percentile(f.serverDelays(), 0.5)), micros(percentile(f.serverDelays(), 0.99)),
          micros((long) Arrays.stream(f.tailCycles()).average().orElse(0)),
          micros(f.tailDelay()), micros(f.tailRun()), micros(f.tailServerDelay()),
          micros(f.tailServerRun()), held(f.heldAtTail())));
    }
    return out.toString();
  }

  private static String held(Map<String, Integer> held) {
    int total = held.values().stream().mapToInt(Integer::intValue).sum();
    if (total == 0) {
      return "—";
    }
    return held.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(3)
        .map(e -> String.format(Locale.ROOT, "%s %d%%", e.getKey(), 100 * e.getValue() / total))
        .collect(Collectors.joining(", "));
  }

  /** Nearest rank, as the clients' own percentiles; 0 for no values. */
  static long percentile(long[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    long rank = (long) (p * sorted.length + 0.999999);
    return sorted[(int) Math.max(0, rank - 1)];
  }

  private static String micros(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e3);
  }

  /** Prints the report of the listing {@code args[0]} and the windows file {@code args[1]}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: SchedReport TIMEHIST-LISTING WINDOWS-TSV");
      System.exit(2);
    }
    List<Switch> switches;
    try (var lines = Files.lines(Path.of(args[0]))) {
      switches = parse(lines.toList());
    }
    List<Window> windows = Files.readAllLines(Path.of(args[1])).stream()
        .skip(1)
        .filter(l -> !l.isBlank())
        .map(Window::parse)
        .toList();
    System.out.print(report(windows, switches));
  }
}
