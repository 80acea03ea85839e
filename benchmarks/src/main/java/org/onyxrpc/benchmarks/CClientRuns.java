package org.onyxrpc.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The C client's half of the C comparison, which JMH cannot time (the calls happen in another
 * process): runs {@code bench_client} against the C server (C → C) and against the Onyx server
 * (C → Onyx, TCP and UDP, handlers inline on the I/O thread, UDP on its socket's own thread;
 * and C → Onyx with a thread per TCP connection, {@code c-to-onyx-dedicated}, TCP only)
 * and against the JVM's floor (C → JVM: a thread per socket asleep in a blocking read,
 * answering with canned bytes, {@link BlockingRecordServer} and {@link BlockingDatagramServer}),
 * in alternating rounds, and writes every round's figures and their medians as JSON for {@code
 * report.RatioReport}.
 *
 * <pre>
 * java -cp benchmarks.jar org.onyxrpc.benchmarks.CClientRuns --out c-clients.json
 *     [--rounds 4] [--warmup 20000] [--calls 100000]
 *     [--echo-warmup 5000] [--echo-calls 300] [--echo-size 1048576]
 *     [--pairs c-to-c,onyx-to-c,...] [--no-echo] [--windows windows.tsv]
 * </pre>
 *
 * <p>{@code --pairs} and {@code --no-echo} narrow a run to some pairs' small calls, and
 * {@code --windows} writes which thread made each latency run's timed calls and when
 * ({@link TimedWindow}, and which process or threads answered them), for {@code
 * benchmarks/sched.sh} to cut a scheduler trace to each.
 *
 * <p>The same rounds time Java clients, each call on the monotonic clock as the C client times its
 * own ({@link TimedCalls}): Onyx's {@code CALLER_RUNS} and {@code EVENT_LOOP} clients and a JDK
 * socket with a read timeout (JVM with a deadline → C, {@link BlockingCaller}, the floor of a Java
 * client that can give up on a silent peer) against a second C server (Onyx → C), and Onyx's
 * {@code CALLER_RUNS} client against the Onyx server (Onyx → Onyx, client and server in this JVM,
 * as in JMH). So every client's figures and C → C's come from one method in rounds minutes apart
 * at most, where JMH's (the {@code CPeerSyncCall} and {@code Echo} benchmarks) come from another
 * run. The second C server takes its CPUs from {@code -Donyx.bench.cpus.cserver-of-java}
 * ({@link CpuPlacement}), so that with {@code run.sh --profile placement} a Java client and its
 * server sit as the C client and its server do.
 *
 * <p>Each round runs, in this order (reversed every other round so no pair always goes first):
 * sequential ADD latency over TCP and over UDP for every pair (the event loop's floor, {@code
 * c-to-netty}, over TCP alone), then 1 MiB ECHO throughput over TCP for the C client's pairs
 * (but that floor) and Onyx's {@code CALLER_RUNS} client's (Onyx → C, Onyx → Onyx;
 * byte[] in and out, as an application calls it; and Onyx → Onyx with Netty buffers), and the
 * same echo between a {@link LeastEchoClient} and a {@link LeastEchoServer} of each {@link
 * LeastEchoDesign}: the JVM's floor for a {@code byte[]} echo read whole, as Onyx reads it, and
 * decoded as it arrives, as libtirpc does. The
 * servers stay up for the whole run; each Java client is made for its timed run and closed after
 * it, as the C client is a new process for each.
 */
public final class CClientRuns {
  /** Which client calls which server. */
  enum Pair {
    C_TO_C("c-to-c", Client.C, Server.C),
    C_TO_ONYX("c-to-onyx", Client.C, Server.ONYX),
    /**
     * The same with a thread per TCP connection blocking in read(2), as the C server has one
     * (issue 19's p99): TCP only, its UDP being {@link #C_TO_ONYX}'s.
     */
    C_TO_ONYX_DEDICATED("c-to-onyx-dedicated", Client.C, Server.ONYX_DEDICATED),
    /** The JVM's floor: blocking JDK sockets that answer without decoding. */
    C_TO_JVM("c-to-jvm", Client.C, Server.JVM),
    /** The event loop's floor, TCP only: what waiting in epoll costs, with nothing decoded. */
    C_TO_NETTY("c-to-netty", Client.C, Server.NETTY),
    ONYX_TO_C("onyx-to-c", Client.ONYX_CALLER_RUNS, Server.C_OF_JAVA),
    /** Onyx on both ends, as JMH's {@code Echo} and {@code CPeerSyncCall} run it. */
    ONYX_TO_ONYX("onyx-to-onyx", Client.ONYX_CALLER_RUNS, Server.ONYX),
    /** The same with Netty buffers in and out: what {@code byte[]} costs the client's echo. */
    ONYX_BUFFERS_TO_ONYX("onyx-buffers-to-onyx", Client.ONYX_BUFFERS, Server.ONYX),
    ONYX_EVENT_LOOP_TO_C("onyx-event-loop-to-c", Client.ONYX_EVENT_LOOP, Server.C_OF_JAVA),
    JVM_DEADLINE_TO_C("jvm-deadline-to-c", Client.JVM_DEADLINE, Server.C_OF_JAVA),
    /** The JVM's floor for Onyx's design of the echo, on both ends: no target, a diagnostic. */
    LEAST_WHOLE("least-whole-to-least-whole", Client.LEAST_WHOLE, Server.LEAST_WHOLE),
    /** The JVM's floor for libtirpc's design of the echo, on both ends. */
    LEAST_ARRIVING("least-arriving-to-least-arriving", Client.LEAST_ARRIVING, Server.LEAST_ARRIVING);

    final String label;
    final Client client;
    final Server server;

    Pair(String label, Client client, Server server) {
      this.label = label;
      this.client = client;
      this.server = server;
    }

    /** The pair of {@code label}. */
    static Pair of(String label) {
      for (Pair pair : values()) {
        if (pair.label.equals(label)) {
          return pair;
        }
      }
      throw new IllegalArgumentException("no pair " + label + "; the pairs: "
          + String.join(", ", Arrays.stream(values()).map(p -> p.label).toList()));
    }
  }

  /** Who makes the calls; every client but the C one is Java, in this process. */
  enum Client {
    /** {@code bench_client}, a new process for each timed run. */
    C,
    /** Onyx's {@code CALLER_RUNS} client, its sync configuration. */
    ONYX_CALLER_RUNS,
    /**
     * Onyx's {@code CALLER_RUNS} client calling {@link AddProgram#ECHO_ZERO_COPY}: a direct
     * buffer in, a slice of the reply out, released before the next call. Echo only: its small
     * calls are {@link #ONYX_CALLER_RUNS}'s.
     */
    ONYX_BUFFERS,
    /** Onyx's {@code EVENT_LOOP} client, the default. */
    ONYX_EVENT_LOOP,
    /** The JVM's floor for a client with a deadline: a JDK socket with a read timeout. */
    JVM_DEADLINE,
    /** {@link LeastEchoClient} reading whole records. Echo only, as the next. */
    LEAST_WHOLE,
    /** {@link LeastEchoClient} decoding as the reply arrives. */
    LEAST_ARRIVING;

    /** Whether it runs the 1 MiB echo: the C client, Onyx's sync configuration, the least ones. */
    boolean echoes() {
      return this == C || this == ONYX_CALLER_RUNS || this == ONYX_BUFFERS || leastDesign() != null;
    }

    /** Whether it runs the sequential small calls. */
    boolean timesLatency() {
      return this != ONYX_BUFFERS && leastDesign() == null;
    }

    /** The design of a least client; null for any other. */
    LeastEchoDesign leastDesign() {
      return switch (this) {
        case LEAST_WHOLE -> LeastEchoDesign.WHOLE_RECORD;
        case LEAST_ARRIVING -> LeastEchoDesign.AS_IT_ARRIVES;
        default -> null;
      };
    }
  }

  /** Who answers; all of them stay up for the whole run. */
  enum Server {
    /** The C server of the C client. */
    C,
    /** The second C server, of the Java clients, on its own CPUs. */
    C_OF_JAVA,
    /** Onyx's, in this JVM, TCP and UDP on one port. */
    ONYX,
    /** Onyx's with {@code TcpIo.DEDICATED_THREAD}, TCP only: a thread per connection. */
    ONYX_DEDICATED,
    /** The JVM's floor. */
    JVM,
    /** {@link NettyRecordServer}: Netty's event loop answering canned bytes. TCP only. */
    NETTY,
    /** {@link LeastEchoServer} reading whole records. TCP echo only, as the next. */
    LEAST_WHOLE,
    /** {@link LeastEchoServer} decoding as the call arrives. */
    LEAST_ARRIVING;

    /** Whether it answers only the small calls over TCP: no UDP, no echo. */
    boolean tcpLatencyOnly() {
      return this == NETTY;
    }

    /** Whether it answers over UDP. */
    boolean servesUdp() {
      return this != NETTY && this != ONYX_DEDICATED;
    }
  }

  /** A Java client's read timeout: never reached, only armed, as a call's deadline is. */
  private static final int DEADLINE_MILLIS = 25_000;

  /**
   * What the run does; every count is per round. {@code pairs}: which pairs run, in this order;
   * {@code echo}: whether the echo runs; {@code windows}: where each latency run's {@link
   * TimedWindow} goes, or null for none (then no window is taken).
   */
  record Settings(int rounds, long warmup, long calls, long echoWarmup, long echoCalls,
      int echoSize, List<Pair> pairs, boolean echo, Path windows) {
    Settings {
      pairs = List.copyOf(pairs);
    }

    /** Every pair, the echo, no windows. */
    Settings(int rounds, long warmup, long calls, long echoWarmup, long echoCalls, int echoSize) {
      this(rounds, warmup, calls, echoWarmup, echoCalls, echoSize, List.of(Pair.values()), true,
          null);
    }
  }

  /** The command line: {@code --out FILE} and the counts of {@link Settings}. */
  @Command(name = "CClientRuns", mixinStandardHelpOptions = true,
      description = "Runs the C client against the C, Onyx and JVM servers, and Java clients in"
          + " the same rounds; writes the figures as JSON.")
  static final class Options implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where the JSON goes")
    Path out;

    @Option(names = "--rounds", defaultValue = "4", paramLabel = "N", description = "rounds of every pair (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup", defaultValue = "20000", paramLabel = "N",
        description = "calls before each timed run (default: ${DEFAULT-VALUE})")
    long warmup;

    @Option(names = "--calls", defaultValue = "100000", paramLabel = "N",
        description = "timed calls of each latency run (default: ${DEFAULT-VALUE})")
    long calls;

    @Option(names = "--echo-warmup", defaultValue = "5000", paramLabel = "N",
        description = "echo calls before each timed echo run (default: ${DEFAULT-VALUE})")
    long echoWarmup;

    @Option(names = "--echo-calls", defaultValue = "300", paramLabel = "N",
        description = "timed calls of each echo run (default: ${DEFAULT-VALUE})")
    long echoCalls;

    @Option(names = "--echo-size", defaultValue = "" + AddProgram.MAX_ECHO, paramLabel = "BYTES",
        description = "bytes each way of an echo call (default: ${DEFAULT-VALUE})")
    int echoSize;

    @Option(names = "--pairs", split = ",", paramLabel = "PAIR",
        description = "only these pairs, e.g. c-to-c,onyx-to-c (default: every pair)")
    List<String> pairs;

    @Option(names = "--no-echo", description = "no 1 MiB echo, only the small calls")
    boolean noEcho;

    @Option(names = "--windows", paramLabel = "FILE",
        description = "where each latency run's calling thread and timed span go (TSV)")
    Path windows;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
      List<Pair> selected;
      try {
        selected = pairs == null ? List.of(Pair.values()) : pairs.stream().map(Pair::of).toList();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      ObjectNode result = run(new Settings(rounds, warmup, calls, echoWarmup, echoCalls, echoSize,
          selected, !noEcho, windows));
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
      return 0;
    }
  }

  private CClientRuns() {}

  /** Runs as {@link Options} says and exits with 0, or 2 for a bad command line. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Options()).execute(args));
  }

  /** Runs every round and returns the JSON document. */
  static ObjectNode run(Settings settings) throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode document = json.createObjectNode();
    document.put("kind", "onyx-c-client-runs");
    document.putObject("settings")
        .put("rounds", settings.rounds())
        .put("warmupCalls", settings.warmup())
        .put("calls", settings.calls())
        .put("echoWarmupCalls", settings.echoWarmup())
        .put("echoCalls", settings.echoCalls())
        .put("echoSize", settings.echoSize());
    ArrayNode pairs = document.putArray("pairs");
    settings.pairs().forEach(p -> pairs.add(p.label));
    ArrayNode runs = document.putArray("runs");
    Map<String, List<Map<String, Double>>> byKind = new LinkedHashMap<>();
    CPeers peers = CPeers.build();
    CClient client = new CClient(peers);
    try (CServer c = CServer.start(peers);
        CServer cOfJava = CServer.start(peers, "cserver-of-java");
        RpcServer onyx = OnyxPeers.startServer(Transport.TCP, Transport.UDP);
        RpcServer onyxDedicated = OnyxPeers.startDedicatedTcpServer();
        BlockingRecordServer jvmTcp = new BlockingRecordServer();
        NettyRecordServer netty = new NettyRecordServer();
        BlockingDatagramServer jvmUdp = new BlockingDatagramServer();
        LeastEchoServer leastWhole =
            new LeastEchoServer(LeastEchoDesign.WHOLE_RECORD, settings.echoSize());
        LeastEchoServer leastArriving =
            new LeastEchoServer(LeastEchoDesign.AS_IT_ARRIVES, settings.echoSize())) {
      Servers servers = new Servers(c, cOfJava, onyx, onyxDedicated, netty, jvmTcp, jvmUdp,
          leastWhole, leastArriving);
      Windows windows = Windows.at(settings.windows());
      for (int round = 1; round <= settings.rounds(); round++) {
        List<Pair> order = new ArrayList<>(settings.pairs());
        if (round % 2 == 0) {
          Collections.reverse(order);
        }
        for (Transport transport : List.of(Transport.TCP, Transport.UDP)) {
          for (Pair pair : order) {
            if (!pair.client.timesLatency()
                || transport == Transport.UDP && !pair.server.servesUdp()) {
              continue;
            }
            int port = servers.port(pair.server, transport);
            int r = round;
            Consumer<TimedWindow> window = settings.windows() == null ? null
                : w -> windows.add(r, pair.label, transport, settings.calls(), w,
                    servers.answeredBy(pair.server, transport));
            Map<String, Double> figures;
            if (pair.client != Client.C) {
              figures = javaLatency(pair.client, transport, port, settings, window);
            } else if (window == null) {
              figures = client.latency(transport, port, settings.warmup(), settings.calls());
            } else {
              figures = client.latency(transport, port, settings.warmup(), settings.calls(), window);
            }
            record(runs, byKind, round, pair, transport, "latency", figures);
          }
        }
        for (Pair pair : order) {
          if (!settings.echo() || !pair.client.echoes() || pair.server.tcpLatencyOnly()) {
            continue;
          }
          int port = servers.port(pair.server, Transport.TCP);
          record(runs, byKind, round, pair, Transport.TCP, "echo", pair.client == Client.C
              ? client.echo(port, settings.echoWarmup(), settings.echoCalls(), settings.echoSize())
              : javaEcho(pair.client, port, settings));
        }
      }
    }
    ArrayNode medians = document.putArray("medians");
    byKind.forEach((kind, rounds) -> {
      String[] parts = kind.split(" ");
      ObjectNode median = medians.addObject();
      median.put("pair", parts[0]);
      median.put("transport", parts[1]);
      median.put("workload", parts[2]);
      ObjectNode figures = median.putObject("figures");
      for (String key : rounds.get(0).keySet()) {
        figures.put(key, median(rounds.stream().mapToDouble(r -> r.get(key)).toArray()));
      }
    });
    return document;
  }

  /** The servers of the run. */
  private record Servers(CServer c, CServer cOfJava, RpcServer onyx, RpcServer onyxDedicated,
      NettyRecordServer netty,
      BlockingRecordServer jvmTcp, BlockingDatagramServer jvmUdp,
      LeastEchoServer leastWhole, LeastEchoServer leastArriving) {
    int port(Server server, Transport transport) throws IOException {
      boolean tcp = transport == Transport.TCP;
      return switch (server) {
        case C -> tcp ? c.tcpPort() : c.udpPort();
        case C_OF_JAVA -> tcp ? cOfJava.tcpPort() : cOfJava.udpPort();
        case ONYX -> onyx.port();
        case ONYX_DEDICATED -> onyxDedicated.port();
        case NETTY -> netty.port();
        case JVM -> tcp ? jvmTcp.port() : jvmUdp.port();
        case LEAST_WHOLE -> leastWhole.port();
        case LEAST_ARRIVING -> leastArriving.port();
      };
    }

    /**
     * Who answers for {@code server} over {@code transport} in a scheduler trace: {@code pid:N},
     * a C server's process; {@code threads:PID:PREFIX}, the threads of this JVM whose names
     * start with PREFIX.
     */
    String answeredBy(Server server, Transport transport) {
      String jvm = "threads:" + ProcessHandle.current().pid() + ":";
      return switch (server) {
        case C -> "pid:" + c.pid();
        case C_OF_JAVA -> "pid:" + cOfJava.pid();
        case ONYX -> jvm + "onyx-server-io";
        case ONYX_DEDICATED -> jvm + "onyx-server-tcp-"; // BlockingTcpConnection's threads
        case NETTY -> jvm + NettyRecordServer.THREAD;
        case JVM -> jvm + (transport == Transport.TCP ? BlockingRecordServer.CONNECTION_THREAD
            : BlockingDatagramServer.THREAD);
        case LEAST_WHOLE, LEAST_ARRIVING -> jvm + ServerThreads.PREFIX;
      };
    }
  }

  /**
   * A Java client's timed latency run against the server at {@code port}: made, timed, closed;
   * {@code window}, unless null, gets its thread and timed span.
   */
  private static Map<String, Double> javaLatency(Client client, Transport transport, int port,
      Settings settings, Consumer<TimedWindow> window) throws IOException {
    int sum = AddProgram.ARGS.a() + AddProgram.ARGS.b();
    if (client == Client.JVM_DEADLINE) {
      try (BlockingCaller socket = transport == Transport.TCP
          ? BlockingCaller.tcp(port, DEADLINE_MILLIS) : BlockingCaller.udp(port, DEADLINE_MILLIS)) {
        return TimedCalls.latency(socket::call, sum, settings.warmup(), settings.calls(), window);
      }
    }
    IoStrategy io =
        client == Client.ONYX_CALLER_RUNS ? IoStrategy.CALLER_RUNS : IoStrategy.EVENT_LOOP;
    try (RpcClient onyx = OnyxPeers.connectedClient(transport, port, io)) {
      return TimedCalls.latency(() -> onyx.call(AddProgram.ADD, AddProgram.ARGS), sum,
          settings.warmup(), settings.calls(), window);
    }
  }

  /**
   * Onyx's {@code CALLER_RUNS} client echoing over TCP to the server at {@code port}: byte[] in
   * and out as an application calls {@link AddProgram#ECHO}, or for {@link Client#ONYX_BUFFERS}
   * Netty buffers ({@link AddProgram#ECHO_ZERO_COPY}); or a least client. Made, timed, closed.
   */
  private static Map<String, Double> javaEcho(Client client, int port, Settings settings)
      throws IOException {
    byte[] data = new byte[settings.echoSize()];
    new Random(data.length).nextBytes(data);
    if (client.leastDesign() != null) {
      try (LeastEchoClient least = new LeastEchoClient(client.leastDesign(), port, data.length)) {
        return TimedCalls.echo(() -> least.echo(data).length, data.length, settings.echoWarmup(),
            settings.echoCalls());
      }
    }
    try (RpcClient onyx = OnyxPeers.connectedClient(Transport.TCP, port, IoStrategy.CALLER_RUNS)) {
      if (client != Client.ONYX_BUFFERS) {
        return TimedCalls.echo(() -> onyx.call(AddProgram.ECHO, data).length, data.length,
            settings.echoWarmup(), settings.echoCalls());
      }
      ByteBuf direct = Unpooled.directBuffer(data.length).writeBytes(data);
      try {
        return TimedCalls.echo(() -> AddProgram.echoBuffers(onyx, direct), data.length,
            settings.echoWarmup(), settings.echoCalls());
      } finally {
        direct.release();
      }
    }
  }

  private static void record(ArrayNode runs, Map<String, List<Map<String, Double>>> byKind,
      int round, Pair pair, Transport transport, String workload, Map<String, Double> figures) {
    ObjectNode run = runs.addObject();
    run.put("round", round);
    run.put("pair", pair.label);
    run.put("transport", transport.name().toLowerCase(Locale.ROOT));
    run.put("workload", workload);
    ObjectNode values = run.putObject("figures");
    figures.forEach(values::put);
    System.out.println("round " + round + " " + pair.label + " " + run.get("transport").asText()
        + " " + workload + ": " + figures);
    byKind.computeIfAbsent(pair.label + " " + run.get("transport").asText() + " " + workload,
        k -> new ArrayList<>()).add(figures);
  }

  /** The median; the mean of the two middle values for an even count. */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
