package org.onyxrpc.benchmarks.report;

import static org.onyxrpc.benchmarks.report.Markdown.atLeast;
import static org.onyxrpc.benchmarks.report.Markdown.atMost;
import static org.onyxrpc.benchmarks.report.Markdown.divide;
import static org.onyxrpc.benchmarks.report.Markdown.number;
import static org.onyxrpc.benchmarks.report.Markdown.ratio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.StringJoiner;

/**
 * The ratios the performance issues set targets for, as a Markdown table, from a results folder
 * written by {@code benchmarks/run.sh}: its {@code run.properties} (commit, load, regime), its JMH
 * JSON files and the C client's {@code c-clients.json}. A figure the run did not measure shows
 * as "—".
 *
 * <pre>java -cp benchmarks.jar org.onyxrpc.benchmarks.report.RatioReport RESULTS-DIR</pre>
 *
 * <p>writes {@code RESULTS-DIR/ratios.md} and prints it.
 */
public final class RatioReport {
  private static final int MIB = 1 << 20;
  /** The bulk workload compared: 1 MiB echoes. */
  private static final int ECHO_SIZE = MIB;
  /** {@code CClientRuns}' pair with Onyx on both ends. */
  private static final String ONYX_TO_ONYX = "onyx-to-onyx";
  /** The same with Netty buffers in and out of the client. */
  private static final String ONYX_BUFFERS_TO_ONYX = "onyx-buffers-to-onyx";
  /** The JVM's floor for the echo of Onyx's design, and of libtirpc's: least Java ends. */
  static final String LEAST_WHOLE_ROW = "JVM floor of the `byte[]` echo read whole (Onyx's design):"
      + " least Java → least Java, in the C client's rounds (echo only)";
  static final String LEAST_ARRIVING_ROW = "JVM floor of the `byte[]` echo decoded as it arrives"
      + " (libtirpc's design): least Java → least Java, in the C client's rounds (echo only)";

  /** The socket baseline of issue 11's sync rows: a blocking JDK socket at both ends. */
  private static final String SOCKET = "SocketPingPong.sync";
  private static final Map<String, String> SOCKET_PARAMS = Map.of("server", "blocking");
  /** How the rows measured in {@code run.sh}'s sync rounds were measured. */
  static final String SYNC_ROUNDS_NOTE = "\nThe sync rows that say \"median of N alternating"
      + " rounds\" were measured in rounds (`jmh-sync-r<N>-*.json`): in each round, one JMH fork"
      + " of each of the socket baseline, the selector-waiting socket client, Onyx's client →"
      + " socket server, socket client → Onyx's server with a thread per connection and Onyx →"
      + " that server, one after another. Their Onyx and reference columns are the medians of the"
      + " rounds' p50s; their ratio is the median of the rounds' ratios, each round's p50 over the"
      + " same round's socket baseline, listed in round order: where the kernel places a"
      + " ping-pong pair's two threads (one CPU or two) drifts over minutes, and a round's figures"
      + " are seconds apart. The other sync rows were measured once, minutes away, over the"
      + " rounds' median socket baseline.\n";

  private final Results results;

  RatioReport(Results results) {
    this.results = results;
  }

  /** Reads the folder named by the only argument, writes its {@code ratios.md}, prints it. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: RatioReport RESULTS-DIR");
    }
    Path directory = Path.of(args[0]);
    String report = header(directory) + new RatioReport(Results.read(directory)).render();
    Files.writeString(directory.resolve("ratios.md"), report, StandardCharsets.UTF_8);
    System.out.print(report);
  }

  /** The run's own description, {@code run.properties} line by line, when the folder has one. */
  static String header(Path directory) throws IOException {
    StringBuilder out = new StringBuilder("# Benchmark ratios\n\n");
    Path run = directory.resolve("run.properties");
    if (Files.isRegularFile(run)) {
      Markdown table = new Markdown("run", "");
      for (String line : Files.readAllLines(run, StandardCharsets.UTF_8)) {
        int equals = line.indexOf('=');
        if (equals > 0 && !line.startsWith("#")) {
          table.add(line.substring(0, equals), "`" + line.substring(equals + 1) + "`");
        }
      }
      out.append(table).append('\n');
    }
    return out.toString();
  }

  /** The client-core targets, the C reference, and TLS against plaintext when it was measured. */
  String render() {
    String tls = new TlsRatios(results).render();
    return clientCore() + "\n" + cReference() + (tls.isEmpty() ? "" : "\n" + tls);
  }

  /** Issue 11's targets (issue 12 asks that none of them regress). */
  String clientCore() {
    Markdown table = new Markdown("ratio", "Onyx", "reference", "ratio", "target");
    OptionalDouble socket = results.micros(SOCKET, SOCKET_PARAMS, "50.0");
    // The target is judged against the server mode the README documents for callers that make
    // one blocking call at a time (a thread per TCP connection, as the socket baseline's server);
    // the default event-loop server pays an epoll wait per call and stays shown as a diagnostic.
    String[][] syncRows = {
        {"onyx-dedicated", "CALLER_RUNS", "Onyx `CALLER_RUNS` → Onyx server with a thread per"
            + " connection (`TcpIo.DEDICATED_THREAD`)", "≤ 1.10×: %s, judged on this server:"
            + " the mode documented for sequential blocking callers"},
        {"onyx", "CALLER_RUNS", "Onyx `CALLER_RUNS` → Onyx server with its event loop",
            "(diagnostic: the default server; the target is judged on the row above)"},
        {"onyx", "EVENT_LOOP", "Onyx `EVENT_LOOP` → Onyx server with its event loop",
            "(the default strategy; no target)"},
    };
    SyncRatio selectorFloor = syncRatio("SocketPingPong.selectorSync", Map.of("server", "blocking"));
    for (int i = 0; i < syncRows.length; i++) {
      String[] row = syncRows[i];
      SyncRatio sync = syncRatio("OnyxSyncCall.call",
          Map.of("server", row[0], "io", row[1], "poll", "default"));
      // Beside the target, in the same rounds: the floor of a client that waits in epoll_wait.
      String floor = i == 0 && !selectorFloor.rounds().isEmpty()
          ? "; the selector-waiting socket client's floor in the same rounds: "
              + ratio(selectorFloor.ratio()) : "";
      table.add("sync p50, " + row[2] + " / socket baseline (µs)", number(sync.p50(), 1),
          number(sync.socket(), 1), i == 0 ? ratio(sync.ratio(), 1.10) : ratio(sync.ratio()),
          row[3].formatted(atMost(sync.ratio(), 1.10)) + sync.roundsNote() + floor);
    }

    // What the sync ratio is made of: each row swaps one end of the socket baseline.
    String[][] floors = {
        {"SocketPingPong.sync", "netty", "socket client → raw Netty server (no RPC: the floor of an epoll server)"},
        {"SocketPingPong.sync", "onyx", "socket client → Onyx server with its event loop (that server's share)"},
        {"SocketPingPong.sync", "onyx-dedicated", "socket client → Onyx server with a thread per connection (that server's share)"},
        {"SocketPingPong.selectorSync", "blocking", "selector-waiting socket client → socket server (the floor of a non-blocking client)"},
        {"OnyxSyncCall.call", "blocking", "Onyx `CALLER_RUNS` client → socket server (the client's share)"},
        {"OnyxSyncCall.call", "onyx-dedicated", "Onyx `CALLER_RUNS` → Onyx server with a thread per connection, no look before the wait (`pollBeforeWaiting(Duration.ZERO)`)", "0"},
        {"NettyPingPong.sync", "", "raw Netty client → raw Netty server (two hand-offs, no RPC: the floor of `EVENT_LOOP`)"},
    };
    for (String[] floor : floors) {
      Map<String, String> params = floor[1].isEmpty() ? Map.of()
          : floor[0].startsWith("Onyx")
              ? Map.of("server", floor[1], "io", "CALLER_RUNS", "poll", floor.length > 3 ? floor[3] : "default")
          : Map.of("server", floor[1]);
      SyncRatio sync = syncRatio(floor[0], params);
      table.add("sync p50, " + floor[2] + " / socket baseline (µs)", number(sync.p50(), 1),
          number(sync.socket(), 1), ratio(sync.ratio()), "(diagnostic)" + sync.roundsNote());
    }

    OptionalDouble best = OptionalDouble.empty();
    String bestName = Markdown.MISSING;
    for (String peer : new String[] {"GrpcCall", "Oncrpc4jCall", "NettyPingPong"}) {
      OptionalDouble calls = results.perSecond(peer + ".pipelined64Chained", Map.of());
      if (calls.isPresent() && (best.isEmpty() || calls.getAsDouble() > best.getAsDouble())) {
        best = calls;
        bestName = peer;
      }
    }
    OptionalDouble pipelined = results.perSecond("OnyxPipelined64.chained",
        Map.of("io", "EVENT_LOOP", "server", "onyx"));
    table.add("64 outstanding, chained, Onyx `EVENT_LOOP` / best peer (" + bestName + ") (calls/s)",
        number(pipelined, 0), number(best, 0), ratio(divide(pipelined, best)),
        "≥ 490,000 calls/s: " + atLeast(pipelined, 490_000));

    // As the sync p50: judged against the server with a thread per connection.
    OptionalDouble socketEcho = echoMiB("socket");
    String[][] echoRows = {
        {"onyx-dedicated", "`CALLER_RUNS` → server with a thread per connection",
            "≥ 1.00×: %s, judged on this server: the mode documented for sequential blocking"
                + " callers"},
        {"onyx", "`CALLER_RUNS` → server with its event loop",
            "(diagnostic: the default server; the target is judged on the row above)"},
        {"onyx-event-loop", "`EVENT_LOOP` → server with its event loop", "(no target)"},
        {"onyx-buffers", "`CALLER_RUNS`, Netty buffers → server with its event loop",
            "(no target)"},
    };
    for (String[] row : echoRows) {
      OptionalDouble onyx = echoMiB(row[0]);
      OptionalDouble r = divide(onyx, socketEcho);
      table.add("1 MiB echo, Onyx `" + row[0] + "`: " + row[1] + " / socket baseline (MiB/s)",
          number(onyx, 0), number(socketEcho, 0), ratio(r, 1.0), row[2].formatted(atLeast(r, 1.0)));
    }

    for (String io : new String[] {"CALLER_RUNS", "EVENT_LOOP"}) {
      OptionalDouble bytes = results.secondary("OnyxSyncCall.call",
          Map.of("server", "blocking", "io", io), "alloc.client.norm");
      table.add("client allocation per small call, `" + io + "` (B, the client path alone)",
          number(bytes, 0), Markdown.MISSING, Markdown.MISSING,
          io.equals("CALLER_RUNS") ? "≤ 128 B: " + atMost(bytes, 128) : "(no target)");
    }
    return "## Client core (issue 11; issue 12: no regression)\n\n" + table
        + (results.hasSyncRounds() ? SYNC_ROUNDS_NOTE : "");
  }

  /**
   * A sync row's p50 and its ratio to the socket baseline's: where the run's sync rounds measured
   * both, the medians over the rounds of each one's p50 and of the ratio round by round (not the
   * ratio of the medians); otherwise the figures measured once and their ratio.
   */
  private SyncRatio syncRatio(String benchmark, Map<String, String> params) {
    OptionalDouble p50 = results.micros(benchmark, params, "50.0");
    OptionalDouble socket = results.micros(SOCKET, SOCKET_PARAMS, "50.0");
    List<Double> rounds = results.roundRatios(benchmark, params, SOCKET, SOCKET_PARAMS, "50.0");
    return new SyncRatio(p50, socket,
        rounds.isEmpty() ? divide(p50, socket) : Results.median(rounds), rounds);
  }

  /**
   * One sync row: {@code p50} and {@code socket} in µs, {@code ratio} of the one to the other,
   * {@code rounds} the ratios round by round that {@code ratio} is the median of (empty: the
   * figures were measured once).
   */
  private record SyncRatio(OptionalDouble p50, OptionalDouble socket, OptionalDouble ratio,
      List<Double> rounds) {
    /** "; median of N alternating rounds: r1, r2, …", or nothing for figures measured once. */
    String roundsNote() {
      if (rounds.isEmpty()) {
        return "";
      }
      StringJoiner each = new StringJoiner(", ");
      rounds.forEach(r -> each.add(String.format(Locale.ROOT, "%.2f", r)));
      return "; median of " + rounds.size() + " alternating rounds: " + each;
    }
  }

  /** Issue 19: every pairing with the C reference, and its ratios to C → C. */
  String cReference() {
    Pairing cToC = new Pairing("C → C", false, true,
        cLatency("c-to-c", "tcp", "p50_us"), cLatency("c-to-c", "tcp", "p99_us"),
        cLatency("c-to-c", "udp", "p50_us"), cLatency("c-to-c", "udp", "p99_us"),
        results.cClient("c-to-c", "tcp", "echo", "mib_per_s"), null);
    Pairing jmhBothEnds = onyxClient("Onyx `CALLER_RUNS` → Onyx", "onyx", "tcp-caller-runs",
        "udp-caller-runs", "onyx");
    Pairing roundsBothEnds =
        cClient("Onyx `CALLER_RUNS` → Onyx, in the C client's rounds", ONYX_TO_ONYX, true);
    Pairing roundsBuffers = cClient("Onyx `CALLER_RUNS` → Onyx, Netty buffers in and out, in the"
        + " C client's rounds (echo only)", ONYX_BUFFERS_TO_ONYX, false);
    Pairing[] pairings = {
        onyxClient("Onyx `CALLER_RUNS` → C", "c", "tcp-caller-runs", "udp-caller-runs",
            "onyx-to-c"),
        cClient("Onyx `CALLER_RUNS` → C, in the C client's rounds", "onyx-to-c", true),
        onyxClient("Onyx `EVENT_LOOP` → C", "c", "tcp-event-loop", "udp-event-loop",
            "onyx-event-loop-to-c"),
        cClient("Onyx `EVENT_LOOP` → C, in the C client's rounds", "onyx-event-loop-to-c", true),
        cClient("C → Onyx", "c-to-onyx", true),
        cClient("C → Onyx, a thread per TCP connection (`TcpIo.DEDICATED_THREAD`), TCP only",
            "c-to-onyx-dedicated", true),
        jmhBothEnds,
        roundsBothEnds,
        onyxClient("Onyx `EVENT_LOOP` → Onyx", "onyx", "tcp-event-loop", "udp-event-loop",
            "onyx-event-loop"),
        new Pairing("Onyx `CALLER_RUNS` → Onyx, Netty buffers in and out (echo only)", false,
            false, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
            OptionalDouble.empty(), echoMiB("onyx-buffers"), null),
        roundsBuffers,
        jvmFloorClient("JVM floor: blocking JDK socket → C", "tcp-socket", "udp-socket"),
        jvmFloorClient("JVM floor with a deadline: JDK socket with a read timeout → C",
            "tcp-socket-deadline", "udp-socket-deadline"),
        cClient("JVM floor with a deadline → C, in the C client's rounds", "jvm-deadline-to-c",
            false),
        cClient("JVM floor: C → blocking JDK socket server", "c-to-jvm", false),
        cClient("Event-loop floor: C → Netty's event loop, TCP only", "c-to-netty", false),
        cClient(LEAST_WHOLE_ROW, "least-whole-to-least-whole", false),
        cClient(LEAST_ARRIVING_ROW, "least-arriving-to-least-arriving", false),
    };

    Markdown figures = new Markdown("pair", "TCP p50 / p99 µs", "UDP p50 / p99 µs",
        "1 MiB echo MiB/s");
    Markdown ratios = new Markdown("pair, ratio to C → C", "TCP p50", "TCP p99 (≤ 1.10×)",
        "UDP p50 (≤ 1.10×)", "UDP p99", "1 MiB echo");
    figures.add(cToC.figureCells());
    for (Pairing pairing : pairings) {
      figures.add(pairing.figureCells());
      ratios.add(pairing.ratioCells(cToC));
    }

    Markdown pipelined = new Markdown("64 outstanding, chained (calls/s)", "Onyx server",
        "C server", "Onyx / C");
    for (String io : new String[] {"EVENT_LOOP", "CALLER_RUNS"}) {
      OptionalDouble onyx = results.perSecond("OnyxPipelined64.chained",
          Map.of("io", io, "server", "onyx"));
      OptionalDouble c =
          results.perSecond("OnyxPipelined64.chained", Map.of("io", io, "server", "c"));
      pipelined.add("Onyx `" + io + "` client", number(onyx, 0), number(c, 0),
          ratio(divide(onyx, c)));
    }
    return "## The C reference: rpcgen + libtirpc (issue 19)\n\n" + figures + "\n"
        + "Targets: TCP p99 within 1.10× of C → C with either end Onyx; UDP p50 within 1.10×; "
        + "1 MiB echo with Onyx on both ends at least 0.80× of C → C. Judged on the ratios below "
        + "(a missed target in **bold**). The JVM floor rows are not Onyx: one blocking JDK socket"
        + " at the Java end, sending or answering with canned bytes, a thread asleep in `read` (with"
        + " a deadline: in `poll`, then `read`, as a JDK socket with a read timeout waits); no"
        + " target, they show what the JVM alone costs against C. The event-loop floor is Netty's"
        + " (`NettyRecordServer`, the runtime's record decoder and canned bytes, waiting in"
        + " `epoll_wait` as Onyx's server does): what an event loop costs before any of Onyx's"
        + " work. The least Java rows echo a"
        + " `byte[]` as an application's procedure takes and returns it, each end about a hundred"
        + " lines (`LeastEchoClient`, `LeastEchoServer`): reading each record whole before the copy"
        + " out of it, as Onyx does, or copying each piece as it arrives and writing 64 KiB at a"
        + " time, as libtirpc does.\n\n" + ratios + "\n"
        + echoVerdict(roundsBothEnds.ratios(cToC).echo(), jmhBothEnds.ratios(cToC).echo(),
            roundsBuffers.ratios(cToC).echo())
        + "\n" + pipelined + "\n"
        + "C → C has no 64-outstanding figure: an rpcgen client handle makes one call at a time."
        + " The C client times its own calls (`CClientRuns`, medians of its rounds, and each of"
        + " its pairs' ratios is the median over the rounds of the ratio to that round's C → C);"
        + " the rows"
        + " \"in the C client's rounds\" are Java clients timed the same way, each call on the"
        + " monotonic clock, in those same rounds (`TimedCalls`), against a second C server or"
        + " (Onyx → Onyx, client and server in one JVM) the Onyx server: they and C → C are"
        + " measured minutes apart at most, by one method. Every other figure is JMH's.\n";
  }

  /**
   * Issue 19's echo target, Onyx on both ends over C → C: judged on {@code rounds}, the ratio in
   * the C client's rounds, where the run timed it; otherwise on {@code jmh}, JMH's {@code
   * Echo.echo} over the C client's C → C, another method at another time (older runs). {@code
   * buffers}, the client with Netty buffers in the same rounds, is shown beside it, not judged:
   * generated stubs pass {@code byte[]}.
   */
  private String echoVerdict(OptionalDouble rounds, OptionalDouble jmh, OptionalDouble buffers) {
    String verdict = echoInRounds()
        ? ratio(rounds, 0.80) + " (" + atLeast(rounds, 0.80) + "), judged in the C client's rounds"
            + " (onyx-to-onyx / c-to-c, round by round); JMH's `Echo.echo` over the C client's"
            + " C → C: " + ratio(jmh) + ", not judged"
        : ratio(jmh, 0.80) + " (" + atLeast(jmh, 0.80) + "), judged on JMH's `Echo.echo` over the C"
            + " client's C → C: the C client's rounds did not time Onyx on both ends";
    String withBuffers = buffers.isEmpty() ? ""
        : " With Netty buffers in and out of the client instead of `byte[]`, in the same rounds"
            + " (onyx-buffers-to-onyx / c-to-c): " + ratio(buffers) + " (" + atLeast(buffers, 0.80)
            + "), not judged: generated stubs pass `byte[]`.";
    return "1 MiB echo, Onyx `CALLER_RUNS` on both ends / C → C (≥ 0.80×): " + verdict + "."
        + withBuffers + "\n";
  }

  /** Payload MiB/s each way of {@code Echo.echo}: calls/s × size / 2^20. */
  private OptionalDouble echoMiB(String peer) {
    OptionalDouble calls =
        results.perSecond("Echo.echo", Map.of("peer", peer, "size", Integer.toString(ECHO_SIZE)));
    return calls.isPresent() ? OptionalDouble.of(calls.getAsDouble() * ECHO_SIZE / MIB) : calls;
  }

  private OptionalDouble cLatency(String pair, String transport, String figure) {
    return results.cClient(pair, transport, "latency", figure);
  }

  /** One of {@code CPeerSyncCall}'s blocking JDK socket clients against the C server: no Onyx end. */
  private Pairing jvmFloorClient(String name, String tcpClient, String udpClient) {
    Map<String, String> tcp = Map.of("server", "c", "client", tcpClient);
    Map<String, String> udp = Map.of("server", "c", "client", udpClient);
    return new Pairing(name, false, false, syncMicros(tcp, "50.0"), syncMicros(tcp, "99.0"),
        syncMicros(udp, "50.0"), syncMicros(udp, "99.0"), OptionalDouble.empty(), null);
  }

  /**
   * A pair of {@code CClientRuns}' rounds: the C client against the server of {@code pair}, or a
   * Java client of the C server, timed as the C client times its calls.
   */
  private Pairing cClient(String name, String pair, boolean judged) {
    return new Pairing(name, pair.equals(ONYX_TO_ONYX), judged,
        cLatency(pair, "tcp", "p50_us"), cLatency(pair, "tcp", "p99_us"),
        cLatency(pair, "udp", "p50_us"), cLatency(pair, "udp", "p99_us"),
        results.cClient(pair, "tcp", "echo", "mib_per_s"),
        new Paired(paired(pair, "tcp", "latency", "p50_us"),
            paired(pair, "tcp", "latency", "p99_us"), paired(pair, "udp", "latency", "p50_us"),
            paired(pair, "udp", "latency", "p99_us"), paired(pair, "tcp", "echo", "mib_per_s")));
  }

  /** The median over the C client's rounds of the pair's figure over C → C's in that round. */
  private OptionalDouble paired(String pair, String transport, String workload, String figure) {
    return results.pairedRatio(pair, "c-to-c", transport, workload, figure);
  }

  /**
   * An Onyx client's figures against {@code server} ("c" or "onyx"); null: not measured. Its echo
   * against the Onyx server is held to the target of Onyx on both ends only where the C client's
   * rounds did not time {@link #ONYX_TO_ONYX}'s (a results folder from before they did).
   */
  private Pairing onyxClient(String name, String server, String tcpClient, String udpClient,
      String echoPeer) {
    Map<String, String> tcp = Map.of("server", server, "client", tcpClient);
    Map<String, String> udp =
        udpClient == null ? null : Map.of("server", server, "client", udpClient);
    return new Pairing(name, server.equals("onyx") && !echoInRounds(), true,
        syncMicros(tcp, "50.0"),
        syncMicros(tcp, "99.0"), syncMicros(udp, "50.0"), syncMicros(udp, "99.0"),
        echoMiB(echoPeer), null);
  }

  /** Whether the C client's rounds timed Onyx on both ends' echo. */
  private boolean echoInRounds() {
    return results.cClient(ONYX_TO_ONYX, "tcp", "echo", "mib_per_s").isPresent();
  }

  /** A percentile of {@code CPeerSyncCall.call} with {@code params}; none when those are null. */
  private OptionalDouble syncMicros(Map<String, String> params, String percentile) {
    return params == null
        ? OptionalDouble.empty() : results.micros("CPeerSyncCall.call", params, percentile);
  }

  /** Ratios to C → C taken round by round in the C client's rounds, each the rounds' median. */
  private record Paired(OptionalDouble tcp50, OptionalDouble tcp99, OptionalDouble udp50,
      OptionalDouble udp99, OptionalDouble echo) {}

  /**
   * One pairing's figures: sequential latency over TCP and UDP, 1 MiB echo; {@code judged}: held
   * to the issue's targets (an Onyx end), or a diagnostic; {@code echoTarget}: its echo is held to
   * the target of Onyx on both ends; {@code paired}: its ratios to C → C round by round, for a pair
   * of the C client's rounds (null, or empty where a file has no rounds: the ratios of the
   * medians).
   */
  private record Pairing(String name, boolean echoTarget, boolean judged,
      OptionalDouble tcp50, OptionalDouble tcp99,
      OptionalDouble udp50, OptionalDouble udp99, OptionalDouble echo, Paired paired) {
    String[] figureCells() {
      return new String[] {name, number(tcp50, 1) + " / " + number(tcp99, 1),
          number(udp50, 1) + " / " + number(udp99, 1), number(echo, 0)};
    }

    /** The ratios to {@code c}: round by round where paired, else of the medians. */
    Paired ratios(Pairing c) {
      Paired medians = new Paired(divide(tcp50, c.tcp50), divide(tcp99, c.tcp99),
          divide(udp50, c.udp50), divide(udp99, c.udp99), divide(echo, c.echo));
      return paired == null ? medians : new Paired(or(paired.tcp50(), medians.tcp50()),
          or(paired.tcp99(), medians.tcp99()), or(paired.udp50(), medians.udp50()),
          or(paired.udp99(), medians.udp99()), or(paired.echo(), medians.echo()));
    }

    String[] ratioCells(Pairing c) {
      Paired r = ratios(c);
      OptionalDouble p99 = r.tcp99();
      OptionalDouble u50 = r.udp50();
      OptionalDouble echoRatio = r.echo();
      return new String[] {name, ratio(r.tcp50()), verdict(p99, 1.10, atMost(p99, 1.10)),
          verdict(u50, 1.10, atMost(u50, 1.10)), ratio(r.udp99()),
          echoTarget && echoRatio.isPresent()
              ? verdict(echoRatio, 0.80, atLeast(echoRatio, 0.80)) + " (≥ 0.80×)" : ratio(echoRatio)};
    }

    /** {@code first}, or where the file had no rounds to pair, {@code otherwise}. */
    private static OptionalDouble or(OptionalDouble first, OptionalDouble otherwise) {
      return first.isPresent() ? first : otherwise;
    }

    private String verdict(OptionalDouble ratio, double limit, String verdict) {
      return ratio.isEmpty() ? Markdown.MISSING
          : !judged ? ratio(ratio)
          : verdict.equals("met") ? ratio(ratio, limit) : "**" + ratio(ratio, limit) + "**";
    }
  }
}
