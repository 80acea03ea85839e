package org.onyxrpc.cli.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.onyxrpc.cli.schema.IdlSchemas;
import org.onyxrpc.cli.schema.Services;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/** The JSON mapping of cli/README.md, type by type, and the errors that name path and type. */
class JsonXdrTest {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  private static final Schema SCHEMA =
      IdlSchemas.load(Path.of("."), List.of(), List.of(Path.of("src/test/idl/every.idl")));
  private static final Type EVERY = new Type.Defined("every");

  private static final String SAMPLE = """
      {"i": -7, "u": 4294967295, "h": -9007199254740992, "uh": "18446744073709551615",
       "f": 1.5, "d": "NaN", "b": true, "s": "äbc", "fixed_bytes": "hex:0a0b0c",
       "bytes": "AQID", "fixed_ints": [1, 2], "colors": ["BLUE", 1],
       "list": {"label": "one", "next": {"label": "two", "next": null}},
       "e": {"discriminant": "BLUE", "value": "other arm"},
       "o": {"discriminant": false},
       "n": {"discriminant": 4000000000, "value": 0.25}}
      """;

  private static final String SAMPLE_OUT = """
      {"i":-7,"u":4294967295,"h":-9007199254740992,"uh":"18446744073709551615",\
      "f":1.5,"d":"NaN","b":true,"s":"äbc","fixed_bytes":"CgsM",\
      "bytes":"AQID","fixed_ints":[1,2],"colors":["BLUE","RED"],\
      "list":{"label":"one","next":{"label":"two","next":null}},\
      "e":{"discriminant":"BLUE","value":"other arm"},\
      "o":{"discriminant":false},\
      "n":{"discriminant":4000000000,"value":0.25}}""";

  @Test
  void everyTypeRoundTripsByTheTable() throws Exception {
    assertEquals(SAMPLE_OUT, roundTrip(EVERY, JSON.readTree(SAMPLE)).toString());
  }

  @Test
  void bytesOnTheWireAreXdrs() throws Exception {
    assertEquals("fffffff9", hex(Type.Builtin.INT, "-7"));
    assertEquals("ffffffff", hex(Type.Builtin.UNSIGNED_INT, "4294967295"));
    assertEquals("0000000100000000", hex(Type.Builtin.HYPER, "\"4294967296\""));
    assertEquals("3fc00000", hex(Type.Builtin.FLOAT, "1.5"));
    assertEquals("00000001", hex(Type.Builtin.BOOL, "true"));
    assertEquals("00000003c3a46200", hex(new Type.StringType(8), "\"äb\""));
    assertEquals("0a0b0c00", hex(new Type.Opaque(3, true), "\"hex:0a0b0c\""));
    assertEquals("00000001" + "00000003" + "6f6e6500" + "00000000",
        hex(new Type.Optional(new Type.Defined("node")), "{\"label\": \"one\", \"next\": null}"));
    assertEquals("00000004" + "00000005" + "6f74686572000000",
        hex(new Type.Defined("by_enum"), "{\"discriminant\": 4, \"value\": \"other\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "hyper beyond 2^53 prints as a string | hyper | 9007199254740993 | \"9007199254740993\"",
    "hyper at 2^53 prints as a number | hyper | -9007199254740992 | -9007199254740992",
    "unsigned hyper from a number | unsigned hyper | 18446744073709551615 | \"18446744073709551615\"",
    "double infinity | double | \"-Infinity\" | \"-Infinity\"",
    "float at its largest | float | 3.4028235e38 | 3.4028235E38",
    "float as its shortest decimal | float | 0.1 | 0.1",
    "float rounded to its precision | float | 0.123456789 | 0.12345679",
    "double at its largest | double | 1.7976931348623157e308 | 1.7976931348623157E308",
    "float infinity | float | \"Infinity\" | \"Infinity\"",
    "whole-valued decimal for an int | int | 3.0 | 3",
    "unsigned int from a string | unsigned int | \"17\" | 17",
  })
  void numbers(String name, String idl, String in, String out) throws Exception {
    Type type = java.util.Arrays.stream(Type.Builtin.values()).filter(b -> b.idl().equals(idl)).findFirst().orElseThrow();
    assertEquals(out, roundTrip(type, JSON.readTree(in)).toString());
  }

  /** rpcgen's char and short travel as ints that C's narrower type holds, as C sends them. */
  @Test
  void charsAndShortsStayInTheirCTypesRange() throws Exception {
    assertEquals("ffffff80", hex(Type.Builtin.CHAR, "-128"));
    assertEquals("0000ffff", hex(Type.Builtin.UNSIGNED_SHORT, "65535"));
    assertEquals("-32768", roundTrip(Type.Builtin.SHORT, JSON.readTree("-32768")).toString());
    assertEquals("255", roundTrip(Type.Builtin.UNSIGNED_CHAR, JSON.readTree("255")).toString());
    assertEquals("000000c8", hex(Type.Builtin.CHAR, "200")); // an unsigned (ARM) char's value
    assertEquals("ffffff80", hex(Type.Builtin.INT8, "-128"));
    assertEquals("$ (int8_t): 200 is out of range -128..127", // a signed char everywhere
        assertThrows(JsonValueException.class, () -> encode(Type.Builtin.INT8, JSON.readTree("200"), "$"))
            .getMessage());
    assertEquals("$ (char): 256 is out of range -128..255",
        assertThrows(JsonValueException.class, () -> encode(Type.Builtin.CHAR, JSON.readTree("256"), "$"))
            .getMessage());
    assertEquals("$ (unsigned short): -1 is out of range 0..65535",
        assertThrows(JsonValueException.class,
            () -> encode(Type.Builtin.UNSIGNED_SHORT, JSON.readTree("-1"), "$")).getMessage());
  }

  /** A union switched on rpcgen's char or short takes and gives the same range as such a field. */
  @Test
  void charAndShortDiscriminantsStayInTheirCTypesRange() throws Exception {
    Type byChar = new Type.Defined("by_char");
    Type byShort = new Type.Defined("by_ushort");
    assertEquals("ffffffff" + "00000007", hex(byChar, "{\"discriminant\": -1, \"value\": 7}"));
    assertEquals("{\"discriminant\":200}", roundTrip(byChar, JSON.readTree("{\"discriminant\": 200}")).toString());
    assertEquals("{\"discriminant\":65535,\"value\":1}",
        roundTrip(byShort, JSON.readTree("{\"discriminant\": 65535, \"value\": 1}")).toString());
    assertEquals("$.discriminant (char): 256 is out of range -128..255",
        assertThrows(JsonValueException.class,
            () -> encode(byChar, JSON.readTree("{\"discriminant\": 256}"), "$")).getMessage());
    // A C peer cannot send these: refused as a field of the type would be, default arm or not.
    assertEquals("char must be -128 to 255, got 256",
        assertThrows(XdrException.class, () -> read(byChar, "00000100")).getMessage());
    assertEquals("unsigned short must be 0 to 65535, got -1",
        assertThrows(XdrException.class, () -> read(byShort, "ffffffff")).getMessage());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
    "{\"i\": 2147483648} | $.i (int): 2147483648 is out of range -2147483648..2147483647",
    "{\"u\": -1} | $.u (unsigned int): -1 is out of range 0..4294967295",
    "{\"i\": 1.5} | $.i (int): 1.5 is not a whole number",
    "{\"i\": \"seven\"} | $.i (int): \"seven\" is not a whole number",
    "{\"b\": 1} | $.b (bool): expected true or false, got the number 1",
    "{\"s\": \"abcde\"} | $.s (string<MAX>): 5 bytes of UTF-8 exceed the bound 4",
    "{\"s\": \"ää\\u00e4\"} | $.s (string<MAX>): 6 bytes of UTF-8 exceed the bound 4",
    "{\"fixed_bytes\": \"AQI=\"} | $.fixed_bytes (opaque[3]): \"AQI=\" is base64 for 2 bytes, expected exactly 3",
    // Text meant as its own bytes is read as base64: say so. Before: "2 bytes, expected exactly 3".
    "{\"fixed_bytes\": \"abc\"} | $.fixed_bytes (opaque[3]): \"abc\" is base64 for 2 bytes, expected exactly 3",
    "{\"fixed_bytes\": \"hex:01\"} | $.fixed_bytes (opaque[3]): \"hex:01\" is hex for 1 byte, expected exactly 3",
    "{\"bytes\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"} | $.bytes (opaque<MAX>): the text is base64 for 33 bytes, at most 4",
    "{\"bytes\": \"hex:zz\"} | $.bytes (opaque<MAX>): not base64 or \"hex:…\": not a hexadecimal digit: \"z\" = 122",
    "{\"fixed_ints\": [1]} | $.fixed_ints (int[2]): 1 elements, expected exactly 2",
    "{\"colors\": [\"RED\", \"PINK\"]} | $.colors[1] (color): the string \"PINK\" is not one of [RED, GREEN, BLUE] (or their numbers)",
    "{\"colors\": [3]} | $.colors[0] (color): the number 3 is not one of [RED, GREEN, BLUE] (or their numbers)",
    "{\"list\": {\"label\": \"a\", \"next\": {\"label\": 5, \"next\": null}}} | $.list.next.label (string<8>): expected a string, got the number 5",
    "{\"list\": {\"label\": \"a\"}} | $.list (node): missing member \"next\" (null for none)",
    "{\"list\": {}} | $.list (node): missing members \"label\", \"next\" (null for none)",
    "{\"list\": {\"label\": \"a\", \"next\": null, \"extra\": 1}} | $.list (node): unknown member \"extra\"; expected [label, next]",
    "{\"list\": {\"label\": \"a\", \"nxet\": null}} | $.list (node): unknown member \"nxet\"; expected [label, next]",
    "{\"extra\": 1} | $ (every): unknown member \"extra\"; expected [i, u, h, uh, f, d, b, s, fixed_bytes, bytes, fixed_ints, colors, list, e, o, n]",
    "{\"e\": {\"discriminant\": \"GREEN\", \"value\": 1}} | $.e (by_enum): the arm of \"GREEN\" is void: leave \"value\" out",
    "{\"e\": {\"discriminant\": \"RED\"}} | $.e (by_enum): missing member \"value\" (radius)",
    "{\"e\": {\"kind\": \"RED\"}} | $.e (by_enum): unknown member \"kind\"; expected [discriminant, value]",
    "{\"n\": {\"discriminant\": 2, \"value\": 1}} | $.n.discriminant (unsigned int): 2 selects no arm of by_uint",
    "{\"o\": {\"discriminant\": \"yes\"}} | $.o.discriminant (bool): expected true or false, got the string \"yes\"",
    // Before: sent as infinity, a value nobody gave.
    "{\"f\": 1e39} | $.f (float): 1E+39 is out of range -3.4028235E38..3.4028235E38 (infinity is \"Infinity\" or \"-Infinity\")",
    "{\"f\": -1e39} | $.f (float): -1E+39 is out of range -3.4028235E38..3.4028235E38 (infinity is \"Infinity\" or \"-Infinity\")",
    "{\"d\": 1e400} | $.d (double): 1E+400 is out of range -1.7976931348623157E308..1.7976931348623157E308 (infinity is \"Infinity\" or \"-Infinity\")",
    "{\"d\": \"-1e400\"} | $.d (double): \"-1e400\" is out of range -1.7976931348623157E308..1.7976931348623157E308 (infinity is \"Infinity\" or \"-Infinity\")",
  })
  void aValueThatDoesNotFitNamesItsPathAndType(String change, String message) throws Exception {
    JsonNode value = JSON.readTree(SAMPLE);
    JsonNode patch = JSON.readTree(change);
    patch.fieldNames().forEachRemaining(f -> ((com.fasterxml.jackson.databind.node.ObjectNode) value).set(f, patch.get(f)));
    JsonValueException e = assertThrows(JsonValueException.class, () -> encode(EVERY, value, "$"));
    assertEquals(message, e.getMessage());
  }

  @Test
  void argumentsAreAnObjectOfParameters() throws Exception {
    DynamicProcedure echo = procedure("Every.echo");
    assertEquals("$ (arguments of Every.echo): missing member \"value\"",
        assertThrows(JsonValueException.class, () -> echo.encodeArguments(JSON.readTree("{}"))).getMessage());
    assertEquals("$ (arguments of Every.echo): missing: give them with -d",
        assertThrows(JsonValueException.class, () -> echo.encodeArguments(null)).getMessage());
    // A bare value, as rpcgen's positional arguments suggest: the message shows the object wanted.
    // Before: "expected an object, got the string \"x\"", which left the member's name to find.
    assertEquals("$ (arguments of Every.echo): expected an object {\"value\": …}, got the string \"x\"",
        assertThrows(JsonValueException.class, () -> echo.encodeArguments(JSON.readTree("\"x\""))).getMessage());
    // A large value shows its start and length. Before: all of it, 9,001 characters of "x".
    assertEquals("$ (arguments of Every.echo): expected an object {\"value\": …}, got the string \""
            + "x".repeat(40) + "\"… (9001 characters)",
        assertThrows(JsonValueException.class, () -> echo.encodeArguments(
            JSON.readTree("\"" + "x".repeat(9001) + "\""))).getMessage());
    assertEquals(0, procedure("Every.nothing").encodeArguments(null).length);
    assertEquals(0, procedure("Every.nothing").encodeArguments(JSON.readTree("{}")).length);
    // Before: "unknown member \"x\"; expected []", and a number or an array was sent as nothing.
    for (String given : new String[] {"{\"x\": 1}", "5", "[1]"}) {
      assertEquals("$ (arguments of Every.nothing): Every.nothing takes no arguments: leave -d out (or give {})",
          assertThrows(JsonValueException.class,
              () -> procedure("Every.nothing").encodeArguments(JSON.readTree(given))).getMessage(), given);
    }
  }

  @Test
  void declaredExceptionsAreReadFromTheReplyUnion() {
    DynamicProcedure fail = procedure("Every.fail");
    Outcome returned = decode(fail, "00000000" + "0000002a");
    assertEquals("42", ((Outcome.Returned) returned).value().toString());
    Outcome threw = decode(fail, "00000001" + "00000007");
    assertEquals(new Outcome.Threw("Oops", JSON.createObjectNode().put("code", 7)), threw);
    assertThrows(XdrException.class, () -> decode(fail, "00000002"));
    assertNull(((Outcome.Returned) decode(procedure("Every.nothing"), "")).value());
    assertInstanceOf(XdrException.class, assertThrows(XdrException.class, () -> decode(fail, "00000000000000010000")));
  }

  @Test
  void aHostileArrayCountFailsBeforeAllocating() {
    ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("7fffffff"));
    XdrException e = assertThrows(XdrException.class,
        () -> new XdrToJson(SCHEMA).read(new Type.Array(Type.Builtin.INT, Type.UNBOUNDED, false), new XdrReader(buf)));
    assertEquals(true, e.getMessage().contains("2147483647"), e.getMessage());
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedNotAStackOverflow() {
    ByteBuf buf = Unpooled.buffer();
    XdrWriter out = new XdrWriter(buf);
    for (int i = 0; i <= XdrToJson.MAX_DEPTH + 1; i++) {
      out.writeOptionalFlag(true);
      out.writeString("n", 8);
    }
    out.writeOptionalFlag(false);
    XdrException e = assertThrows(XdrException.class,
        () -> new XdrToJson(SCHEMA).read(new Type.Optional(new Type.Defined("node")), new XdrReader(buf)));
    assertEquals("value nested deeper than 500 levels", e.getMessage());
  }

  @Test
  void templatesEncodeAsTheyAre() {
    DynamicProcedure echo = procedure("Every.echo");
    JsonNode template = new JsonTemplate(SCHEMA).arguments(echo.schema().parameters());
    assertEquals("{\"value\":{\"i\":0,\"u\":0,\"h\":0,\"uh\":0,\"f\":0.0,\"d\":0.0,\"b\":false,\"s\":\"\","
        + "\"fixed_bytes\":\"AAAA\",\"bytes\":\"\",\"fixed_ints\":[0,0],\"colors\":[\"RED\"],\"list\":null,"
        + "\"e\":{\"discriminant\":\"RED\",\"value\":0},\"o\":{\"discriminant\":true,\"value\":0},"
        + "\"n\":{\"discriminant\":4000000000,\"value\":0.0}}}", template.toString());
    echo.encodeArguments(template);
  }

  @Test
  void dynamicProceduresNameTheirServiceAsGeneratedStubsDo() {
    // every.idl says "package org.onyxrpc.cli.test;": generated code's SERVICE_NAME would be
    // org.onyxrpc.cli.test.Every, and OpenTelemetry's rpc.service reads Procedure.service().
    DynamicProcedure echo = procedure("Every.echo");
    assertEquals("org.onyxrpc.cli.test.Every", echo.procedure(echo.defaultSemantics()).service());
    assertEquals("Every.echo", echo.procedure(echo.defaultSemantics()).name());
  }

  private static DynamicProcedure procedure(String name) {
    Services.Found f = Services.procedure(SCHEMA, name, null);
    return new DynamicProcedure(SCHEMA, f.service(), f.version(), f.procedure());
  }

  private static Outcome decode(DynamicProcedure p, String hex) {
    ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    return p.procedure(p.defaultSemantics()).result().decode(new XdrReader(buf));
  }

  private static JsonNode roundTrip(Type type, JsonNode value) {
    ByteBuf buf = Unpooled.buffer();
    new JsonToXdr(SCHEMA).write(type, value, "$", new XdrWriter(buf));
    XdrReader in = new XdrReader(buf);
    JsonNode back = new XdrToJson(SCHEMA).read(type, in);
    assertEquals(0, in.remaining());
    return back;
  }

  private static JsonNode read(Type type, String hex) {
    return new XdrToJson(SCHEMA).read(type, new XdrReader(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex))));
  }

  private static void encode(Type type, JsonNode value, String path) {
    new JsonToXdr(SCHEMA).write(type, value, path, new XdrWriter(Unpooled.buffer()));
  }

  private static String hex(Type type, String json) throws Exception {
    ByteBuf buf = Unpooled.buffer();
    new JsonToXdr(SCHEMA).write(type, JSON.readTree(json), "$", new XdrWriter(buf));
    return ByteBufUtil.hexDump(buf);
  }
}
