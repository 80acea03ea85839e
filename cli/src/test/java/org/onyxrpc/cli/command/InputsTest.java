package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

/** What a person types: targets, durations and the three ways of giving arguments. */
class InputsTest {
  @TempDir Path dir;

  @Test
  void targets() {
    assertEquals(new Target("localhost", 0), Target.parse("localhost"));
    assertEquals(new Target("10.0.0.7", 4711), Target.parse("10.0.0.7:4711"));
    assertEquals(new Target("::1", 4711), Target.parse("[::1]:4711"));
    assertEquals(new Target("::1", 0), Target.parse("::1"));
    assertEquals("port must be 1..65535, got 70000",
        assertThrows(IllegalArgumentException.class, () -> Target.parse("host:70000")).getMessage());
    assertEquals("no host in :80", assertThrows(IllegalArgumentException.class, () -> Target.parse(":80")).getMessage());
    // Printed "unix:1", read back as the socket file 1.
    assertEquals("[unix]:1", Target.parse("[unix]:1").toString());
    // Host "[x" printed as a target that did not parse.
    assertEquals("expected HOST[:PORT], got [[x]",
        assertThrows(IllegalArgumentException.class, () -> Target.parse("[[x]")).getMessage());
  }

  @Test
  void durations() {
    DurationConverter d = new DurationConverter();
    assertEquals(Duration.ofMillis(250), d.convert("250ms"));
    assertEquals(Duration.ofMinutes(2), d.convert("2m"));
    assertEquals(Duration.ofSeconds(10), d.convert("PT10S"));
    assertThrows(TypeConversionException.class, () -> d.convert("0s"));
    assertThrows(TypeConversionException.class, () -> d.convert("soon"));
  }

  /**
   * {@code -0.0} was read as a BigDecimal, which has no negative zero, and sent as 0.0: an echo
   * printed 0.0. Other numbers with a fraction or exponent stay exact BigDecimals.
   */
  @Test
  void aNegativeZeroKeepsItsSign() {
    JsonNode args = Json.arguments("{\"d\": -0.0, \"e\": -0e3, \"z\": 0.0, \"x\": 0.1, \"big\": 1e400}",
        dir, null);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(args.get("d").doubleValue()));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(args.get("e").doubleValue()));
    assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(args.get("z").doubleValue()));
    assertEquals(new BigDecimal("0.1"), args.get("x").decimalValue());
    assertTrue(args.get("big").isBigDecimal(), args.get("big").getNodeType().toString());
    assertEquals("{\"d\":-0.0,\"e\":-0.0,\"z\":0,\"x\":0.1,\"big\":1E+400}", Json.printLine(args));
    // What a server sends back is printed with its sign.
    assertEquals("-0.0", Json.printLine(JsonNodeFactory.instance.numberNode(-0.0)));
    assertEquals("-0.0", Json.printLine(JsonNodeFactory.instance.numberNode(-0.0f)));
  }

  /** What follows the value is refused, as before {@link #aNegativeZeroKeepsItsSign}'s parser. */
  @Test
  void argumentsAreOneJsonValue() {
    assertEquals("bad JSON in -d at line 1 column 4: Unrecognized token 'x': was expecting (JSON String,"
        + " Number, Array, Object or token 'null', 'true' or 'false')",
        assertThrows(IllegalArgumentException.class, () -> Json.arguments("{} x", dir, null)).getMessage());
  }

  @Test
  void argumentsFromTextFileOrStandardInput() throws Exception {
    Files.writeString(dir.resolve("a.json"), "{\"a\": 1}");
    assertEquals("{\"a\":1}", Json.arguments("@a.json", dir, null).toString());
    assertEquals("{\"a\":2}", Json.arguments("-", dir,
        new ByteArrayInputStream("{\"a\": 2}".getBytes(StandardCharsets.UTF_8))).toString());
    assertEquals(null, Json.arguments(null, dir, null));
    assertEquals("cannot read b.json: no such file",
        assertThrows(IllegalArgumentException.class, () -> Json.arguments("@b.json", dir, null)).getMessage());
    assertEquals("cannot read .: a directory",
        assertThrows(IllegalArgumentException.class, () -> Json.arguments("@.", dir, null)).getMessage());
    assertEquals("bad JSON in -d: nothing there, expected an object",
        assertThrows(IllegalArgumentException.class, () -> Json.arguments(" ", dir, null)).getMessage());
    assertEquals("bad JSON in standard input: nothing there, expected an object",
        assertThrows(IllegalArgumentException.class, () -> Json.arguments("-", dir,
            new ByteArrayInputStream(new byte[0]))).getMessage());
  }

  @Test
  void badJsonSaysWhereAndWhatWithoutJacksonsInternals() {
    assertEquals("bad JSON in -d at line 2 column 1: Unexpected end-of-input: expected close marker for Object",
        assertThrows(IllegalArgumentException.class, () -> Json.arguments("{\"a\": 1\n", dir, null)).getMessage());
    assertEquals("bad JSON in -d at line 1 column 13: Duplicate field 'a'",
        assertThrows(IllegalArgumentException.class, () -> Json.arguments("{\"a\": 1, \"a\": 2}", dir, null)).getMessage());
    assertEquals("bad JSON in -d at line 1 column 10: Unrecognized token 'x': was expecting (JSON String, Number, "
        + "Array, Object or token 'null', 'true' or 'false')",
        assertThrows(IllegalArgumentException.class, () -> Json.arguments("{\"a\": 1} x", dir, null)).getMessage());
  }
}
