package org.onyxrpc.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.health.HealthService;
import org.onyxrpc.health.ServingStatus;
import org.onyxrpc.server.RpcServer;

/**
 * The command against Onyx: {@code onyx directory} runs as its own process, an Onyx calculator
 * with the health service registers there by name, and list, ping (by name, with health) and call
 * (the port found through the directory) reach it.
 */
class OnyxServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;
  private static OnyxJar.Started directory;
  private static String directoryPort;
  private static RemoteDirectory remote;
  private static HealthService health;
  private static RpcServer calculator;

  @BeforeAll
  static void start() throws Exception {
    Files.copy(Path.of("src/test/idl/calculator.idl"), work.resolve("calculator.idl"));
    directory = OnyxJar.start("directory", "--port", "0", "--bind", "127.0.0.1");
    assertTrue(directory.firstLine().matches("onyx directory on port \\d+"), directory.firstLine());
    directoryPort = directory.firstLine().substring("onyx directory on port ".length());
    remote = RemoteDirectory.at("127.0.0.1", Integer.parseInt(directoryPort));
    health = new HealthService();
    health.set(Calculator.NAME, ServingStatus.SERVING);
    calculator = Calculator.start(remote, health);
    Calculator.awaitListed(calculator, remote);
  }

  @AfterAll
  static void stop() throws Exception {
    if (calculator != null) {
      calculator.close();
    }
    if (remote != null) {
      remote.close();
    }
    if (directory != null) {
      directory.close(); // SIGTERM, and SIGKILL if it has not stopped within 10 s
      assertEquals(143, directory.process().exitValue(), "the directory stops on SIGTERM, as its --help says");
    }
  }

  private static OnyxJar.Result onyx(String... args) throws Exception {
    return OnyxJar.run(work, args);
  }

  private static OnyxJar.Result call(String procedure, String data) throws Exception {
    return onyx("call", "127.0.0.1", "Calculator." + procedure, "--idl", "calculator.idl",
        "--rpcbind-port", directoryPort, "-d", data);
  }

  @Test
  void callFindsThePortInTheDirectory() throws Exception {
    OnyxJar.Result sum = call("add", "{\"a\": 2, \"b\": 40}");
    assertEquals(0, sum.exit(), sum::describe);
    assertEquals("42\n", sum.out());
    OnyxJar.Result parity = onyx("call", "127.0.0.1:" + calculator.port(),
        "org.onyxrpc.examples.calculator.Calculator.parity", "--idl", "calculator.idl", "-d", "{\"value\": 7}",
        "--transport", "udp");
    assertEquals("\"ODD\"\n", parity.out(), parity::describe);
  }

  @Test
  void aDeclaredExceptionIsJsonWithItsOwnStatus() throws Exception {
    OnyxJar.Result r = call("divide", "{\"a\": 1, \"b\": 0}");
    assertEquals(3, r.exit(), r::describe);
    assertEquals(JSON.readTree("{\"exception\": \"DivideByZero\", \"value\": {\"message\": \"cannot divide 1 by zero\"}}"),
        JSON.readTree(r.out()));
  }

  @Test
  void aVersionTheServerLacksIsProgMismatchWithItsRange() throws Exception {
    String v2 = Files.readString(work.resolve("calculator.idl"))
        .replace("  version 1 {", "  version 2 {\n    hyper negate(hyper a) = 1;\n  }\n  version 1 {");
    Files.writeString(work.resolve("calculator2.idl"), v2);
    OnyxJar.Result r = onyx("call", "127.0.0.1:" + calculator.port(), "Calculator.negate",
        "--idl", "calculator2.idl", "-d", "{\"a\": 1}");
    assertEquals(4, r.exit(), r::describe);
    JsonNode error = JSON.readTree(r.out());
    assertEquals("PROG_MISMATCH", error.get("error").textValue());
    assertEquals(1, error.get("low").intValue());
    assertEquals(1, error.get("high").intValue());
    OnyxJar.Result unregistered = onyx("call", "127.0.0.1", "Calculator.negate", "--idl", "calculator2.idl",
        "-d", "{\"a\": 1}", "--rpcbind-port", directoryPort);
    assertEquals(4, unregistered.exit(), unregistered::describe);
    assertEquals("UNAVAILABLE", JSON.readTree(unregistered.out()).get("error").textValue());
  }

  @Test
  void listShowsNamesOwnersAndLeases() throws Exception {
    OnyxJar.Result table = onyx("list", "127.0.0.1:" + directoryPort);
    assertEquals(0, table.exit(), table::describe);
    assertTrue(table.out().lines().findFirst().orElse("").matches(" *program  vers  netid  address +owner +lease +name"), table.out());
    assertTrue(table.out().lines().anyMatch(l -> l.matches(
        " *536871169  1 +tcp +127\\.0\\.0\\.1:" + calculator.port() + " +\\S+ +\\d+\\.\\ds +" + Calculator.NAME)), table.out());
    assertTrue(table.out().lines().anyMatch(l -> l.matches(" *100000  4 +udp .*")), table.out());

    OnyxJar.Result json = onyx("list", "127.0.0.1:" + directoryPort, "--json");
    JsonNode calculatorTcp = null;
    for (JsonNode e : JSON.readTree(json.out())) {
      if (e.path("name").asText().equals(Calculator.NAME) && e.get("netid").asText().equals("tcp")) {
        calculatorTcp = e;
      }
    }
    assertTrue(calculatorTcp != null, json.out());
    assertEquals(calculator.port(), calculatorTcp.get("port").intValue());
    long lease = calculatorTcp.get("leaseLeftMs").longValue();
    assertTrue(lease > 0 && lease <= 30_000, json.out());

    OnyxJar.Result brief = onyx("list", "127.0.0.1:" + directoryPort, "-s");
    assertTrue(brief.out().lines().anyMatch(l -> l.matches(
        " *536871169  1 +tcp,udp +\\S+ +" + Calculator.NAME)), brief.out());
  }

  @Test
  void pingByNameWithHealth() throws Exception {
    OnyxJar.Result r = onyx("ping", "127.0.0.1", Calculator.NAME, "--rpcbind-port", directoryPort, "--health");
    assertEquals(0, r.exit(), r::describe);
    String[] lines = r.out().split("\n");
    assertTrue(lines[0].matches("program 0x20000101 version 1 ready and waiting \\(tcp 127\\.0\\.0\\.1:"
        + calculator.port() + ", [0-9.]+ ms\\)"), r.out());
    assertEquals("health of " + Calculator.NAME + ": SERVING", lines[1]);

    health.set(Calculator.NAME, ServingStatus.NOT_SERVING);
    try {
      OnyxJar.Result down = onyx("ping", "127.0.0.1:" + calculator.port(), "0x20000101", "1", "--health=" + Calculator.NAME);
      assertEquals(5, down.exit(), down::describe);
      assertTrue(down.out().endsWith("health of " + Calculator.NAME + ": NOT_SERVING\n"), down.out());
    } finally {
      health.set(Calculator.NAME, ServingStatus.SERVING);
    }
    OnyxJar.Result unknown = onyx("ping", "127.0.0.1:" + calculator.port(), "536871169", "--health=nobody");
    assertEquals(5, unknown.exit(), unknown::describe);
    assertTrue(unknown.out().endsWith("health of nobody: UNKNOWN\n"), unknown.out());
    OnyxJar.Result server = onyx("ping", "127.0.0.1:" + calculator.port(), "536871169", "--health");
    assertEquals(0, server.exit(), server::describe);
    assertTrue(server.out().endsWith("health of the server: SERVING\n"), server.out());
  }

  @Test
  void pingOfANameNobodyRegistered() throws Exception {
    OnyxJar.Result r = onyx("ping", "127.0.0.1", "no.such.Service", "--rpcbind-port", directoryPort);
    assertEquals(4, r.exit(), r::describe);
    assertEquals("UNAVAILABLE", JSON.readTree(r.out()).get("error").textValue());
  }
}
