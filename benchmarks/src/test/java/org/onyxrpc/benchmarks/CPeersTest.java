package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Every pairing the C benchmarks measure makes a handful of verified calls, through the very
 * classes the benchmarks use ({@link CPeers}, {@link CServer}, {@link CClient},
 * {@link OnyxPeers}), so the harness cannot rot: C → C, C → Onyx, Onyx → C, and the JVM's floor
 * (blocking JDK sockets) at either end, over TCP and UDP.
 */
@Timeout(120)
class CPeersTest {
  private static CPeers peers;
  private static CServer cServer;
  private static RpcServer onyxServer;

  @BeforeAll
  static void start() throws Exception {
    peers = NativeToolchain.peers();
    cServer = CServer.start(peers);
    onyxServer = OnyxPeers.startServer(Transport.TCP, Transport.UDP);
  }

  @AfterAll
  static void stop() throws Exception {
    if (onyxServer != null) {
      onyxServer.close();
    }
    if (cServer != null) {
      cServer.close();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void cClientCallsCServer(Transport transport) throws Exception {
    int port = transport == Transport.TCP ? cServer.tcpPort() : cServer.udpPort();
    assertChecked(transport, new CClient(peers).check(transport, port));
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void cClientCallsOnyxServer(Transport transport) throws Exception {
    assertChecked(transport, new CClient(peers).check(transport, onyxServer.port()));
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void onyxClientCallsCServerOverTcp(IoStrategy io) throws Exception {
    try (RpcClient client = OnyxPeers.connectedClient(Transport.TCP, cServer.tcpPort(), io)) {
      assertEquals(993, client.call(AddProgram.ADD, new AddProgram.Pair(-7, 1000)));
      for (int size : new int[] {0, 1001, AddProgram.MAX_ECHO}) {
        byte[] data = randomBytes(size);
        assertArrayEquals(data, client.call(AddProgram.ECHO, data), size + " bytes");
      }
    }
  }

  @Test
  void onyxClientCallsCServerOverUdp() throws Exception {
    try (RpcClient client =
        OnyxPeers.connectedClient(Transport.UDP, cServer.udpPort(), IoStrategy.EVENT_LOOP)) {
      assertEquals(993, client.call(AddProgram.ADD, new AddProgram.Pair(-7, 1000)));
      byte[] data = randomBytes(1001);
      assertArrayEquals(data, client.call(AddProgram.ECHO, data));
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void onyxClientKeeps64CallsOutstandingOnTheCServer(IoStrategy io) throws Exception {
    try (RpcClient client = OnyxPeers.connectedClient(Transport.TCP, cServer.tcpPort(), io)) {
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < OnyxPipelined64.WINDOW; i++) {
        calls.add(client.callAsync(AddProgram.ADD, new AddProgram.Pair(i, 1)));
      }
      for (int i = 0; i < calls.size(); i++) {
        assertEquals(i + 1, calls.get(i).get(30, TimeUnit.SECONDS));
      }
    }
  }

  /** The JVM's floor clients ({@code client=tcp-socket|udp-socket}, with and without a deadline) against both servers. */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void blockingJdkSocketCallsCAndOnyxServers(Transport transport) throws Exception {
    int cPort = transport == Transport.TCP ? cServer.tcpPort() : cServer.udpPort();
    for (int port : new int[] {cPort, onyxServer.port()}) {
      try (BlockingCaller caller = transport == Transport.TCP
          ? BlockingCaller.tcp(port) : BlockingCaller.udp(port);
          BlockingCaller withDeadline = transport == Transport.TCP
              ? BlockingCaller.tcp(port, 30_000) : BlockingCaller.udp(port, 30_000)) {
        for (int i = 0; i < 3; i++) {
          assertEquals(5, caller.call(), "ADD(2, 3) on port " + port);
          assertEquals(5, withDeadline.call(), "ADD(2, 3) on port " + port + ", with a deadline");
        }
      }
    }
  }

  /** C → JVM: the C client's timed calls against the JVM's floor servers. */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void cClientCallsBlockingJdkSocketServers(Transport transport) throws Exception {
    try (BlockingRecordServer tcp = new BlockingRecordServer();
        BlockingDatagramServer udp = new BlockingDatagramServer()) {
      int port = transport == Transport.TCP ? tcp.port() : udp.port();
      assertEquals(200.0, new CClient(peers).latency(transport, port, 10, 200).get("calls"));
      try (BlockingCaller caller = transport == Transport.TCP
          ? BlockingCaller.tcp(port) : BlockingCaller.udp(port)) {
        assertEquals(5, caller.call());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void cClientReportsLatencyFigures(Transport transport) throws Exception {
    int port = transport == Transport.TCP ? cServer.tcpPort() : cServer.udpPort();
    TimedWindow[] window = new TimedWindow[1];
    long before = System.nanoTime();
    Map<String, Double> figures =
        new CClient(peers).latency(transport, port, 10, 200, w -> window[0] = w);
    // The C client's own process, and its timed calls' span on the JVM's monotonic clock.
    assertEquals(window[0].pid(), window[0].tid());
    assertTrue(window[0].pid() != ProcessHandle.current().pid(), window[0].toString());
    assertTrue(before < window[0].fromNanos() && window[0].fromNanos() < window[0].toNanos()
        && window[0].toNanos() < System.nanoTime(), before + " " + window[0]);
    assertEquals(200.0, figures.get("calls"));
    for (String key : List.of("mean_us", "p50_us", "p90_us", "p99_us", "p999_us", "max_us")) {
      assertTrue(figures.get(key) > 0, key + " in " + figures);
    }
    assertTrue(figures.get("p50_us") <= figures.get("p99_us"), figures.toString());
  }

  @Test
  void cClientReportsEchoThroughput() throws Exception {
    Map<String, Double> figures = new CClient(peers).echo(onyxServer.port(), 1, 3, 65536);
    assertEquals(3.0, figures.get("calls"));
    assertEquals(65536.0, figures.get("size"));
    assertTrue(figures.get("mib_per_s") > 0, figures.toString());
    assertEquals(figures.get("calls_per_s") * 65536 / (1 << 20), figures.get("mib_per_s"),
        figures.get("mib_per_s") * 1e-3);
  }

  @Test
  void cClientRunsRecordEveryRoundAndTheMedians() throws Exception {
    JsonNode document =
        CClientRuns.run(new CClientRuns.Settings(2, 10, 100, 1, 2, 65536));
    // Per round: seven pairs' latency over TCP and UDP, the event loop's floor and the Onyx
    // server with a thread per connection over TCP; the echo of the C client's four pairs, of
    // Onyx's CALLER_RUNS client's three (byte[] to C and to Onyx, Netty buffers to Onyx) and of
    // the least Java ends of each design.
    assertEquals(2 * (7 * 2 + 2 + 9), document.get("runs").size());
    Set<String> kinds = new HashSet<>();
    for (JsonNode median : document.get("medians")) {
      kinds.add(median.get("pair").asText() + " " + median.get("transport").asText() + " "
          + median.get("workload").asText());
      assertTrue(median.get("figures").size() > 0);
    }
    assertEquals(Set.of("c-to-c tcp latency", "c-to-onyx tcp latency", "c-to-jvm tcp latency",
        "c-to-netty tcp latency", "c-to-onyx-dedicated tcp latency",
        "c-to-c udp latency", "c-to-onyx udp latency", "c-to-jvm udp latency",
        "onyx-to-c tcp latency", "onyx-event-loop-to-c tcp latency", "jvm-deadline-to-c tcp latency",
        "onyx-to-c udp latency", "onyx-event-loop-to-c udp latency", "jvm-deadline-to-c udp latency",
        "onyx-to-onyx tcp latency", "onyx-to-onyx udp latency",
        "c-to-c tcp echo", "c-to-onyx tcp echo", "c-to-onyx-dedicated tcp echo",
        "c-to-jvm tcp echo", "onyx-to-c tcp echo",
        "onyx-to-onyx tcp echo", "onyx-buffers-to-onyx tcp echo",
        "least-whole-to-least-whole tcp echo", "least-arriving-to-least-arriving tcp echo"), kinds);
    // The Java clients' echoes carry the C client's figures, so the report reads them alike.
    for (JsonNode run : document.get("runs")) {
      if (run.get("workload").asText().equals("echo")) {
        Set<String> keys = new HashSet<>();
        run.get("figures").fieldNames().forEachRemaining(keys::add);
        assertEquals(Set.of("calls", "size", "seconds", "calls_per_s", "mib_per_s"), keys,
            run.toString());
        assertEquals(65536, run.get("figures").get("size").asInt(), run.toString());
      }
    }
  }

  @Test
  void somePairsSmallCallsOnlyWithEachRunsWindow(@TempDir Path dir) throws Exception {
    Path windows = dir.resolve("windows.tsv");
    JsonNode document = CClientRuns.run(new CClientRuns.Settings(1, 10, 100, 1, 2, 65536,
        List.of(CClientRuns.Pair.C_TO_C, CClientRuns.Pair.ONYX_TO_C, CClientRuns.Pair.C_TO_JVM),
        false, windows));
    assertEquals(3 * 2, document.get("runs").size()); // no echo
    List<String> lines = Files.readAllLines(windows);
    assertEquals(Windows.HEADER, lines.get(0));
    assertEquals(1 + 3 * 2, lines.size(), lines.toString());
    long jvm = ProcessHandle.current().pid();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      assertEquals("100", f[3], line);
      switch (f[1]) {
        case "c-to-c", "c-to-jvm" -> assertEquals(f[4], f[5], line); // the C client's process
        case "onyx-to-c" -> assertEquals(Long.toString(jvm), f[4], line);
        default -> throw new AssertionError(line);
      }
      assertTrue(f[1].equals("c-to-jvm") ? f[6].startsWith("threads:" + jvm + ":server-")
          : f[6].startsWith("pid:") && !f[6].equals("pid:" + jvm), line);
      assertTrue(Long.parseLong(f[7]) < Long.parseLong(f[8]), line);
    }
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> CClientRuns.Pair.of("c-to-d"));
    assertTrue(unknown.getMessage().contains("c-to-onyx"), unknown.getMessage());
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, CClientRuns.median(new double[] {4, 1, 3, 2}));
    assertEquals(3.0, CClientRuns.median(new double[] {5, 3, 1}));
  }

  @Test
  void aMissingToolchainSkipsOnADevelopersMachineAndFailsUnderCi() {
    Map<String, String> noPath = Map.of("PATH", "");
    assertTrue(CPeers.missingTools(noPath).containsAll(List.of("rpcgen", "gcc")));
    assertThrows(TestAbortedException.class, () -> NativeToolchain.requireToolchain(noPath));
    assertThrows(AssertionFailedError.class,
        () -> NativeToolchain.requireToolchain(Map.of("PATH", "", "CI", "true")));
    assertInstanceOf(TestAbortedException.class, assertThrows(Exception.class,
        () -> NativeToolchain.requireToolchain(Map.of("PATH", "", "CI", "false"))));
  }

  private static void assertChecked(Transport transport, String output) {
    assertTrue(output.contains("ok ADD(2, 3) = 5"), output);
    assertTrue(output.contains("ok ADD(2147483647, 1) = -2147483648"), output);
    assertTrue(output.contains("ok ECHO 1001 bytes"), output);
    if (transport == Transport.TCP) {
      assertTrue(output.contains("ok ECHO 1048576 bytes"), output);
    }
  }

  private static byte[] randomBytes(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }
}
