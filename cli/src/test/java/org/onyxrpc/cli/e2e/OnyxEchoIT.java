package org.onyxrpc.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.Xdr;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Every XDR type of every.idl through an Onyx server: {@code echo} sends the argument's bytes
 * back untouched, so what the command prints is what it encoded, read back after a round trip
 * through the runtime's server over TCP and UDP; plus void, a declared exception and oneway.
 */
class OnyxEchoIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PROGRAM = 0x20000e0e;

  private static final XdrCodec<byte[]> RAW = XdrCodecs.of(
      (out, bytes) -> out.buffer().writeBytes(bytes),
      in -> {
        byte[] bytes = new byte[in.remaining()];
        in.buffer().readBytes(bytes);
        return bytes;
      });

  /** fail's reply union: arm 0 the int, arm 1 Oops { int code; }. */
  private static final XdrCodec<Integer> FAIL_REPLY = XdrCodecs.of(
      (out, code) -> {
        out.writeInt(code == 0 ? 0 : 1);
        out.writeInt(code);
      },
      in -> {
        in.readInt(); // the arm
        return in.readInt();
      });

  static final String VALUE = """
      {"i": -7, "u": 4294967295, "h": -9007199254740993, "uh": 18446744073709551615,
       "f": 1.5, "d": "-Infinity", "b": true, "s": "äbc", "fixed_bytes": "hex:0a0b0c",
       "bytes": "AQID", "fixed_ints": [1, 2], "colors": ["BLUE", 1],
       "list": {"label": "one", "next": {"label": "two", "next": null}},
       "e": {"discriminant": "RED", "value": 5},
       "o": {"discriminant": true, "value": 12},
       "n": {"discriminant": 1, "value": 0.5}}""";

  static final String ECHOED = """
      {"i": -7, "u": 4294967295, "h": "-9007199254740993", "uh": "18446744073709551615",
       "f": 1.5, "d": "-Infinity", "b": true, "s": "äbc", "fixed_bytes": "CgsM",
       "bytes": "AQID", "fixed_ints": [1, 2], "colors": ["BLUE", "RED"],
       "list": {"label": "one", "next": {"label": "two", "next": null}},
       "e": {"discriminant": "RED", "value": 5},
       "o": {"discriminant": true, "value": 12},
       "n": {"discriminant": 1, "value": 0.5}}""";

  @TempDir static Path work;
  private static RpcServer server;
  private static final BlockingQueue<String> NOTES = new ArrayBlockingQueue<>(4);

  @BeforeAll
  static void start() throws Exception {
    Files.copy(Path.of("src/test/idl/every.idl"), work.resolve("every.idl"));
    Files.writeString(work.resolve("value.json"), "{\"value\": " + VALUE + "}");
    server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none())
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(new Procedure<>(PROGRAM, 1, 1, "Every.echo", RAW, RAW), (bytes, ctx) -> bytes)
            .procedure(new Procedure<>(PROGRAM, 1, 2, "Every.nothing", XdrCodecs.VOID, XdrCodecs.VOID), (v, ctx) -> null)
            .procedure(new Procedure<>(PROGRAM, 1, 3, "Every.fail", XdrCodecs.INT, FAIL_REPLY), (code, ctx) -> code)
            .oneway(new Procedure<>(PROGRAM, 1, 4, "Every.note", XdrCodecs.string(Xdr.UNBOUNDED), XdrCodecs.VOID),
                (text, ctx) -> {
                  NOTES.add(text);
                  return null;
                })
            .build())
        .build()
        .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static OnyxJar.Result call(String procedure, String data, String... more) throws Exception {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
        "call", "127.0.0.1:" + server.port(), "Every." + procedure, "--idl", "every.idl"));
    if (data != null) {
      args.addAll(java.util.List.of("-d", data));
    }
    args.addAll(java.util.List.of(more));
    return OnyxJar.run(work, args.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "udp"})
  void everyTypeRoundTripsThroughAnOnyxServer(String transport) throws Exception {
    OnyxJar.Result r = call("echo", "@value.json", "--transport", transport);
    assertEquals(0, r.exit(), r::describe);
    assertEquals(JSON.readTree(ECHOED), JSON.readTree(r.out()), r::describe);
  }

  /** -0.0 went out as 0.0 (read as a BigDecimal, which has no negative zero) and came back so. */
  @Test
  void aNegativeZeroComesBackWithItsSign() throws Exception {
    String value = VALUE.replace("\"f\": 1.5", "\"f\": -0.0").replace("\"d\": \"-Infinity\"", "\"d\": -0.0");
    OnyxJar.Result r = call("echo", "{\"value\": " + value + "}");
    assertEquals(0, r.exit(), r::describe);
    assertTrue(r.out().contains("\"f\" : -0.0,") && r.out().contains("\"d\" : -0.0,"), r::describe);
  }

  @Test
  void voidPrintsNothingAndADeclaredExceptionIsJson() throws Exception {
    OnyxJar.Result nothing = call("nothing", null);
    assertEquals(0, nothing.exit(), nothing::describe);
    assertEquals("", nothing.out());
    assertEquals("0\n", call("fail", "{\"code\": 0}").out());
    OnyxJar.Result oops = call("fail", "{\"code\": 7}");
    assertEquals(3, oops.exit(), oops::describe);
    assertEquals(JSON.readTree("{\"exception\": \"Oops\", \"value\": {\"code\": 7}}"), JSON.readTree(oops.out()));
  }

  @Test
  void onewayIsSentWithoutWaitingForAReply() throws Exception {
    OnyxJar.Result r = call("note", "{\"text\": \"hello\"}");
    assertEquals(0, r.exit(), r::describe);
    assertEquals("", r.out());
    assertEquals("hello", NOTES.poll(30, TimeUnit.SECONDS));
    assertTrue(NOTES.isEmpty());
  }
}
