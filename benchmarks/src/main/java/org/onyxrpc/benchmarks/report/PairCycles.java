package org.onyxrpc.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ping-pong pair's call cycles in the scheduler's view, split by where each side was woken:
 * reads the {@code sched_waking} and {@code sched_switch} events of a {@code perf sched record}
 * trace (as {@code perf script -F comm,pid,tid,cpu,time,event,trace} prints them) and writes,
 * for each kind of cycle, its share, its p50 and p90, and the p50 of its four parts. {@code
 * benchmarks/jmh-sched.sh} runs it.
 *
 * <pre>java -cp benchmarks.jar org.onyxrpc.benchmarks.report.PairCycles script.txt CLIENT SERVER,...</pre>
 *
 * <p>CLIENT and SERVER are prefixes of the threads' names as the kernel keeps them (15
 * characters): the calling thread's (JMH's worker: {@code org.onyxrpc.ben}) and the answering
 * thread's ({@code onyx-server-tcp}, {@code server-socket-b}; several, comma-separated).
 *
 * <p>A cycle runs from one waking of the server by the client (its call arrived) to the next. Its
 * kind: where the server then ran ({@code same} CPU as the client that woke it, or the {@code
 * other}) and where the client ran after the server's reply woke it ({@code same}, {@code other},
 * or {@code none}: it never slept, preempted by the server it woke or still running). Why: on two
 * CPUs a pair either ping-pongs across them, each wake-up an inter-processor interrupt and an idle
 * CPU's exit, or shares one, each wake-up a switch; the two kinds differ by about twice, and a
 * benchmark's p50 depends on their mix, which the machine's other work decides. Compare pairs
 * kind by kind.
 */
public final class PairCycles {
  private static final Pattern EVENT = Pattern.compile(
      "^\\s*(.+?)\\s+\\d+/(\\d+)\\s+\\[(\\d+)\\]\\s+(\\d+)\\.(\\d+):\\s+sched:(sched_waking|sched_switch):\\s+(.*)$");
  private static final Pattern WAKING = Pattern.compile("comm=(.*?) pid=(\\d+) ");
  private static final Pattern SWITCH = Pattern.compile("next_comm=(.*?) next_pid=(\\d+)");

  /** Where a side ran after it was woken, against the CPU of the side that woke it. */
  enum Placement {
    SAME, OTHER, NONE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One cycle: its kind, its length and its parts in nanoseconds, a part -1 when the cycle has
   * none (a client that never slept has no wake-up of its own).
   */
  record Cycle(Placement server, Placement client, long nanos, long serverWake, long serverRun,
      long clientWake, long clientRun) {
    String kind() {
      return "server " + server.label() + ", client " + client.label();
    }
  }

  private enum Role { CLIENT, SERVER }

  private PairCycles() {}

  /** Writes the report of the trace listing named by {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: PairCycles SCRIPT.txt CLIENT-PREFIX SERVER-PREFIX[,...]");
      System.exit(2);
    }
    List<Cycle> cycles = cycles(Files.readAllLines(Path.of(args[0])), args[1],
        Arrays.asList(args[2].split(",")));
    System.out.print(report(cycles));
  }

  /** The cycles of {@code lines}, a {@code perf script} listing, in order. */
  static List<Cycle> cycles(List<String> lines, String clientPrefix, List<String> serverPrefixes) {
    List<Cycle> cycles = new ArrayList<>();
    Map<Long, Integer> wakerCpu = new HashMap<>(); // a woken thread of the pair: its waker's CPU
    long start = -1; // the client's last waking of the server
    Placement server = null;
    Placement client = Placement.NONE;
    long serverIn = -1;
    long serverWakes = -1;
    long clientIn = -1;
    for (String line : lines) {
      Matcher m = EVENT.matcher(line);
      if (!m.matches()) {
        continue;
      }
      int cpu = Integer.parseInt(m.group(3));
      long time = Long.parseLong(m.group(4)) * 1_000_000_000L + fraction(m.group(5));
      if (m.group(6).equals("sched_waking")) {
        Matcher w = WAKING.matcher(m.group(7));
        if (!w.lookingAt()) {
          continue;
        }
        Role waker = role(m.group(1), clientPrefix, serverPrefixes);
        Role woken = role(w.group(1), clientPrefix, serverPrefixes);
        if (waker == null || woken == null || waker == woken) {
          continue;
        }
        wakerCpu.put(Long.parseLong(w.group(2)), cpu);
        if (waker == Role.CLIENT) {
          if (start >= 0 && server != null) {
            boolean replied = serverIn >= 0 && serverWakes >= serverIn;
            boolean slept = replied && client != Placement.NONE && clientIn >= serverWakes;
            cycles.add(new Cycle(server, client, time - start,
                serverIn >= 0 ? serverIn - start : -1, replied ? serverWakes - serverIn : -1,
                slept ? clientIn - serverWakes : -1, slept ? time - clientIn : -1));
          }
          start = time;
          server = null;
          client = Placement.NONE;
          serverIn = serverWakes = clientIn = -1;
        } else {
          serverWakes = time;
        }
      } else {
        Matcher s = SWITCH.matcher(m.group(7));
        if (!s.find()) {
          continue;
        }
        Integer from = wakerCpu.remove(Long.parseLong(s.group(2)));
        if (from == null) {
          continue;
        }
        Placement placed = from == cpu ? Placement.SAME : Placement.OTHER;
        if (role(s.group(1), clientPrefix, serverPrefixes) == Role.SERVER) {
          server = placed;
          serverIn = time;
        } else {
          client = placed;
          clientIn = time;
        }
      }
    }
    return cycles;
  }

  /** {@code perf script}'s digits after the seconds' point, as nanoseconds. */
  private static long fraction(String digits) {
    long value = Long.parseLong(digits);
    for (int i = digits.length(); i < 9; i++) {
      value *= 10;
    }
    return value;
  }

  private static Role role(String comm, String clientPrefix, List<String> serverPrefixes) {
    if (comm.startsWith(clientPrefix)) {
      return Role.CLIENT;
    }
    for (String prefix : serverPrefixes) {
      if (comm.startsWith(prefix)) {
        return Role.SERVER;
      }
    }
    return null;
  }

  /**
   * A Markdown table, a row per kind of cycle that holds at least 1% of them, most frequent
   * first: its share, the p50 and p90 of its length, and the p50 of each part (µs).
   */
  static String report(List<Cycle> cycles) {
    Map<String, List<Cycle>> byKind = new LinkedHashMap<>();
    for (Cycle c : cycles) {
      byKind.computeIfAbsent(c.kind(), k -> new ArrayList<>()).add(c);
    }
    StringBuilder out = new StringBuilder();
    out.append(cycles.size()).append(" cycles\n\n");
    out.append("| cycle | share | p50 µs | p90 µs | server wake→run | server run→reply's wake-up"
        + " | client wake→run | client run→call's wake-up |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    byKind.entrySet().stream()
        .sorted((a, b) -> b.getValue().size() - a.getValue().size())
        .filter(e -> e.getValue().size() * 100L >= cycles.size())
        .forEach(e -> {
          List<Cycle> kind = e.getValue();
          out.append(String.format(Locale.ROOT, "| %s | %.1f%% | %s | %s | %s | %s | %s | %s |%n",
              e.getKey(), 100.0 * kind.size() / cycles.size(),
              micros(kind, Cycle::nanos, 0.5), micros(kind, Cycle::nanos, 0.9),
              micros(kind, Cycle::serverWake, 0.5), micros(kind, Cycle::serverRun, 0.5),
              micros(kind, Cycle::clientWake, 0.5), micros(kind, Cycle::clientRun, 0.5)));
        });
    return out.toString();
  }

  /** The {@code q} quantile of a part over the cycles that have it, in µs; "-" if none has. */
  static String micros(List<Cycle> cycles, ToLongFunction<Cycle> part, double q) {
    long[] values = cycles.stream().mapToLong(part).filter(v -> v >= 0).sorted().toArray();
    if (values.length == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.1f", values[(int) (q * (values.length - 1))] / 1000.0);
  }
}
