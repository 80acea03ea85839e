package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A struct's record takes every field in its constructor, whose parameters the JVM holds in 254
 * slots besides {@code this}, a {@code long} or {@code double} taking two: idlc refuses the
 * structs that do not fit, and exactly those, since javac rejects their Java ("too many
 * parameters") while idlc used to succeed. Likewise an enum's constants, made in its class
 * initialiser, a method of at most 64 KiB ("code too large").
 */
class JavaLimitsTest {
  @TempDir Path temp;

  /** {@code struct NAME { TYPE f0; … }} with {@code count} fields of each type given. */
  private static String struct(String name, Object... typesAndCounts) {
    StringBuilder text = new StringBuilder("struct ").append(name).append(" {\n");
    int field = 0;
    for (int i = 0; i < typesAndCounts.length; i += 2) {
      for (int n = 0; n < (Integer) typesAndCounts[i + 1]; n++) {
        text.append('\t').append(typesAndCounts[i]).append(" f").append(field++).append(";\n");
      }
    }
    return text.append("};\n").toString();
  }

  /**
   * {@code enum NAME { V0 = …, … }} with {@code count} values, each outside a short's range so that
   * it costs the initialiser the most bytes ({@code ldc_w}), not {@code iconst}/{@code sipush}.
   */
  private static String enumOf(String name, int count) {
    StringBuilder text = new StringBuilder("enum ").append(name).append(" {\n");
    for (int i = 0; i < count; i++) {
      int value = (i % 2 == 0 ? 1 : -1) * (100_000 + i);
      text.append("\tLONG_ENOUGH_TO_NEED_ITS_OWN_CONSTANT_").append(i).append(" = ").append(value)
          .append(i + 1 < count ? ",\n" : "\n");
    }
    return text.append("};\n").toString();
  }

  private IdlCompiler.Result compile(String text) throws IOException {
    Path file = temp.resolve("limits.x");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return IdlCompiler.compile(temp, List.of(), List.of(file));
  }

  @Test
  void structsThatFillTheSlotsCompileInJava() throws IOException {
    IdlCompiler.Result result = compile(struct("hypers", "hyper", 127)
        + struct("ints", "int", 254)
        + struct("mixed", "double", 126, "int", 1, "float", 1));
    assertTrue(result.succeeded(), result.diagnostics().format());
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(source -> sources.put(source.path(), source.content()));
    JavaSources.compile(sources, temp.resolve("java"));
  }

  @Test
  void oneSlotMoreIsAnError() throws IOException {
    IdlCompiler.Result result = compile(struct("hypers", "hyper", 128)
        + struct("ints", "int", 255)
        + struct("mixed", "int", 253, "double", 1));
    assertFalse(result.succeeded());
    List<String> errors = result.diagnostics().format().lines()
        .filter(line -> line.contains(": error: ")).toList();
    assertEquals(3, errors.size(), result.diagnostics().format());
    assertTrue(errors.get(0).contains("struct 'hypers' has too many fields for Java: its 128"
        + " fields take 256 of the 254 parameter slots"), errors.get(0));
    assertTrue(errors.get(1).contains("struct 'ints'") && errors.get(1).contains("take 255"),
        errors.get(1));
    assertTrue(errors.get(2).contains("struct 'mixed'") && errors.get(2).contains("take 255"),
        errors.get(2));
  }

  @Test
  void theLargestEnumAllowedCompilesInJava() throws IOException {
    IdlCompiler.Result result = compile(enumOf("widest", 3_400));
    assertTrue(result.succeeded(), result.diagnostics().format());
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(source -> sources.put(source.path(), source.content()));
    JavaSources.compile(sources, temp.resolve("java"));
  }

  @Test
  void oneEnumValueMoreIsAnErrorAndNoJava() throws IOException {
    IdlCompiler.Result result = compile(enumOf("wider", 3_401));
    assertFalse(result.succeeded());
    List<String> errors = result.diagnostics().format().lines()
        .filter(line -> line.contains(": error: ")).toList();
    assertEquals(List.of("limits.x:1:6: error: enum 'wider' has too many values for Java: 3401, where"
        + " a Java enum holds at most 3400 (its class initialiser is one JVM method, of at most 64"
        + " KiB); constants of an int typedef encode the same bytes"), errors.stream()
        .map(line -> line.replaceAll(".*/", "")).toList());
  }
}
