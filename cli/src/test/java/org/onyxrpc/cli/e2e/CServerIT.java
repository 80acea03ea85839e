package org.onyxrpc.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.testing.ScriptedTcpServer;

/**
 * {@code onyx call} and {@code onyx ping} against a C server that rpcgen and libtirpc made from
 * interop.x: every XDR type both ways (TRANSFORM's profile holds them all), several arguments,
 * linked lists, unions on an enum and on an int, AUTH_SYS, TCP and UDP, and the errors.
 */
class CServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String SAMPLE = """
      {"arg1": {"title": "Grüße", "tint": "RED", "flag": true, "count": 4294967294,
        "big": "18446744073709551614", "ratio": 0.75, "fixed": [1, 2, 3], "values": [10, -20, 30],
        "tag": "hex:010203", "blob": "AQIDBAU=", "origin": {"x": 1, "y": -2},
        "items": {"label": "one", "value": 1, "next": {"label": "three", "value": -2,
                  "next": {"label": "eleven", "value": 1099511627776, "next": null}}},
        "form": {"discriminant": "RED", "value": 5}}}""";

  static final String TRANSFORMED = """
      {"discriminant": 0, "value": {"title": "GRüßE", "tint": "GREEN", "flag": false,
        "count": 4294967295, "big": "18446744073709551615", "ratio": 1.5, "fixed": [3, 2, 1],
        "values": [10, -20, 30, 20], "tag": "AgME", "blob": "BQQDAgE=", "origin": {"x": -2, "y": 1},
        "items": {"label": "ELEVEN", "value": 2199023255552, "next": {"label": "THREE", "value": -4,
                  "next": {"label": "ONE", "value": 2, "next": null}}},
        "form": {"discriminant": "GREEN", "value": [{"x": -5, "y": -5}, {"x": 5, "y": 5}]}}}""";

  @TempDir static Path work;
  private static CServer server;
  private static Path idl;

  @BeforeAll
  static void start() throws Exception {
    Path c = Files.createDirectory(work.resolve("c"));
    server = CServer.start(c);
    idl = work.resolve("interop.x");
    Files.copy(CServer.SOURCES.resolve("interop.x"), idl);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static OnyxJar.Result call(String procedure, String data, String... more) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("call", "127.0.0.1:" + server.port,
        "INTEROP_PROG." + procedure, "--idl", "interop.x"));
    if (data != null) {
      args.addAll(List.of("-d", data));
    }
    args.addAll(List.of(more));
    return OnyxJar.run(work, args.toArray(String[]::new));
  }

  private static void assertJson(String expected, OnyxJar.Result r) throws Exception {
    assertEquals(0, r.exit(), r::describe);
    assertEquals(JSON.readTree(expected), JSON.readTree(r.out()), r::describe);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "udp"})
  void everyTypeCrossesBothWays(String transport) throws Exception {
    assertJson(TRANSFORMED, call("TRANSFORM", SAMPLE, "--transport", transport));
  }

  @Test
  void unionOnAnIntWithItsDefaultArm() throws Exception {
    String emptyTitle = SAMPLE.replace("\"Grüße\"", "\"\"");
    assertJson("{\"discriminant\": 1, \"value\": \"empty title\"}", call("TRANSFORM", emptyTitle));
  }

  @Test
  void severalArgumentsByName() throws Exception {
    assertJson("1103511627771", call("ADD3", "{\"c\": 4000000000, \"a\": -5, \"b\": 1099511627776}"));
  }

  @Test
  void optionalDataAndLinkedLists() throws Exception {
    assertJson("{\"label\": \"B\", \"value\": 4, \"next\": {\"label\": \"A\", \"value\": -2, \"next\": null}}",
        call("REVERSE", "{\"arg1\": {\"label\": \"a\", \"value\": -1, \"next\": {\"label\": \"b\", \"value\": 2, \"next\": null}}}"));
    assertJson("null", call("REVERSE", "{\"arg1\": null}"));
  }

  @Test
  void unionsOnAnEnumWithAVoidArm() throws Exception {
    assertJson("{\"discriminant\": \"GREEN\", \"value\": [{\"x\": -5, \"y\": -5}, {\"x\": 5, \"y\": 5}]}",
        call("MORPH", "{\"arg1\": {\"discriminant\": \"RED\", \"value\": 5}}"));
    assertJson("{\"discriminant\": \"BLUE\"}",
        call("MORPH", "{\"arg1\": {\"discriminant\": \"GREEN\", \"value\": [{\"x\": 1, \"y\": 2}, {\"x\": 3, \"y\": 4}]}}"));
    assertJson("{\"discriminant\": \"RED\", \"value\": 7}",
        call("MORPH", "{\"arg1\": {\"discriminant\": \"BLUE\"}}", "--transport", "udp"));
  }

  @Test
  void enumsByNameOrNumberAndUtf8Strings() throws Exception {
    assertJson("\"RED\"", call("NEXT_COLOR", "{\"arg1\": 4}"));
    assertJson("\"BLUE\"", call("NEXT_COLOR", "{\"arg1\": \"GREEN\"}"));
    assertJson("\"hello, wörld\"", call("GREET", "{\"arg1\": \"wörld\"}"));
  }

  @Test
  void argumentsFromAFileOrStandardInput() throws Exception {
    Files.writeString(work.resolve("add.json"), "{\"a\": 1, \"b\": 2, \"c\": 3}");
    assertJson("6", call("ADD3", "@add.json"));
    OnyxJar.Result piped = OnyxJar.run(work, "{\"a\": 2, \"b\": 2, \"c\": 2}", OnyxJar.command("call",
        "127.0.0.1:" + server.port, "INTEROP_PROG.ADD3", "--idl", "interop.x", "-d", "-"));
    assertJson("6", piped);
  }

  @Test
  void authSysCredentials() throws Exception {
    OnyxJar.Result none = call("WHOAMI", null);
    assertJson("\"AUTH_NONE\"", none);
    OnyxJar.Result sys = call("WHOAMI", null, "--auth-sys", "1234:5678:7,8");
    assertEquals(0, sys.exit(), sys::describe);
    String who = JSON.readTree(sys.out()).textValue();
    assertTrue(who.startsWith("AUTH_SYS machine=") && who.endsWith(" uid=1234 gid=5678 gids=[7, 8]"), who);
  }

  @Test
  void aServerFailureIsJsonWithItsStatus() throws Exception {
    OnyxJar.Result r = call("GREET", "{\"arg1\": \"crash\"}");
    assertEquals(4, r.exit(), r::describe);
    JsonNode error = JSON.readTree(r.out());
    assertEquals("SYSTEM_ERR", error.get("error").textValue());
    assertEquals("server tcp 127.0.0.1:" + server.port + " failed INTEROP_PROG.GREET (program 0x20000777 version 1 procedure 6)"
        + " with a system error; it may have run",
        error.get("message").textValue());
    assertEquals("", r.err());
  }

  /** An IDL that differs from the server's: a procedure it lacks, arguments it cannot decode. */
  @Test
  void aProcedureTheServerLacksOrArgumentsItCannotReadAreRpcErrors() throws Exception {
    String plus = Files.readString(idl)
        .replace("  } = 1;\n} = 0x20000777;", "    text MISSING(void) = 9;\n  } = 1;\n} = 0x20000777;")
        .replace("hyper ADD3(int a, hyper b, unsigned int c) = 2;", "hyper ADD3(int a) = 2;");
    Files.writeString(work.resolve("plus.x"), plus);
    OnyxJar.Result missing = OnyxJar.run(work, "call", "127.0.0.1:" + server.port, "INTEROP_PROG.MISSING", "--idl", "plus.x");
    assertEquals(4, missing.exit(), missing::describe);
    assertEquals("PROC_UNAVAIL", JSON.readTree(missing.out()).get("error").textValue());
    OnyxJar.Result garbage = OnyxJar.run(work, "call", "127.0.0.1:" + server.port, "INTEROP_PROG.ADD3", "--idl", "plus.x",
        "-d", "{\"a\": 1}");
    assertEquals(4, garbage.exit(), garbage::describe);
    assertEquals("GARBAGE_ARGS", JSON.readTree(garbage.out()).get("error").textValue());
  }

  /**
   * The server takes the connection and holds any call until the test lets go, after the command
   * has ended: only the command's timeout can end it, whenever its clock runs out (the call may
   * not even have been sent by then, as the timeout counts from the call's start). Before, the C
   * server's COUNT_RUNS slept 1.5 s against a 300 ms timeout, a race that a machine loaded enough
   * to stall the command's JVM for 1.2 s lost with a reply.
   */
  @Test
  void aCallOverItsTimeoutIsTimeout() throws Exception {
    CountDownLatch letGo = new CountDownLatch(1);
    try (ScriptedTcpServer holding = new ScriptedTcpServer("holds-the-call", (call, reply, raw) -> {
      try {
        letGo.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("no reply: the command has gone");
    })) {
      OnyxJar.Result r = OnyxJar.run(work, "call", "127.0.0.1:" + holding.port(),
          "INTEROP_PROG.COUNT_RUNS", "--idl", "interop.x", "-d", "{\"delay_ms\": 0}", "--timeout", "300ms");
      assertEquals(4, r.exit(), r::describe);
      assertEquals("TIMEOUT", JSON.readTree(r.out()).get("error").textValue());
    } finally {
      letGo.countDown();
    }
  }

  @Test
  void badInputNamesThePathAndTheTypeWithoutAStackTrace() throws Exception {
    OnyxJar.Result tooLong = call("GREET", "{\"arg1\": \"seventeen bytes!!\"}");
    assertEquals(2, tooLong.exit(), tooLong::describe);
    assertEquals("onyx call: $.arg1 (name, which is string<MAX_NAME>): 17 bytes of UTF-8 exceed the bound 16\n", tooLong.err());
    OnyxJar.Result deep = call("TRANSFORM", SAMPLE.replace("\"value\": 1099511627776", "\"value\": \"big\""));
    assertEquals(2, deep.exit(), deep::describe);
    assertEquals("onyx call: $.arg1.items.next.next.value (hyper): \"big\" is not a whole number\n", deep.err());
    OnyxJar.Result json = call("ADD3", "{\"a\": 1,, }");
    assertEquals(2, json.exit(), json::describe);
    assertTrue(json.err().matches("onyx call: bad JSON in -d at line 1 column \\d+: .*\\n"), json.err());
    OnyxJar.Result unknown = call("ADD4", "{}");
    assertEquals(2, unknown.exit(), unknown::describe);
    assertEquals("onyx call: INTEROP_PROG has no procedure ADD4; it has [TRANSFORM, ADD3, REVERSE, MORPH, "
        + "NEXT_COLOR, GREET, WHOAMI, COUNT_RUNS]\n", unknown.err());
    for (OnyxJar.Result r : List.of(tooLong, deep, json, unknown)) {
      assertEquals("", r.out());
      assertTrue(!r.err().contains("\tat "), r.err());
    }
  }

  @Test
  void pingFindsTheVersionsFromTheServer() throws Exception {
    OnyxJar.Result r = OnyxJar.run(work, "ping", "127.0.0.1:" + server.port, "0x20000777");
    assertEquals(0, r.exit(), r::describe);
    assertTrue(r.out().matches("program 0x20000777 version 1 ready and waiting \\(tcp 127\\.0\\.0\\.1:\\d+, [0-9.]+ ms\\)\\n"), r.out());
    OnyxJar.Result health = OnyxJar.run(work, "ping", "127.0.0.1:" + server.port, "0x20000777", "1", "--health");
    assertEquals(4, health.exit(), health::describe);
    assertTrue(health.out().endsWith("\nhealth: PROG_UNAVAIL: the server has no health service\n"), health.out());
    OnyxJar.Result udp = OnyxJar.run(work, "ping", "127.0.0.1:" + server.port, "536872823", "2", "--transport", "udp");
    assertEquals(4, udp.exit(), udp::describe);
    assertTrue(udp.out().startsWith("program 0x20000777 version 2 is not available (udp 127.0.0.1:" + server.port
        + "): PROG_MISMATCH: "), udp.out());
  }

  @Test
  void repeatMakesTheCallManyTimesOnOneConnection() throws Exception {
    OnyxJar.Result r = call("COUNT_RUNS", "{\"delay_ms\": 0}", "--repeat", "3");
    assertEquals(0, r.exit(), r::describe);
    String[] lines = r.out().trim().split("\n");
    assertEquals(3, lines.length, r::describe);
    assertEquals(Long.parseLong(lines[0]) + 2, Long.parseLong(lines[2]), r::describe);
    assertTrue(r.err().startsWith("3 calls: p50 "), r.err());
  }
}
