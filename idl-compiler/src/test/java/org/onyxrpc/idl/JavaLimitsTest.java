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
 * initialiser, a method of at most 64 KiB ("code too large"), a union's arms, decoded in one
 * method, and a version's procedures, whose fields its holder's initialiser makes. And what
 * grows with a union's arms or a version's procedures is a list of statements, not one
 * expression or an else-if chain nested as deep as they are many, which javac parses and
 * compiles recursively: its stack overflowed on about a thousand arms or procedures.
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

  /** {@code union NAME switch (int d) { case …: int arm_…; … default: int other; }}. */
  private static String unionOf(String name, int arms) {
    StringBuilder text = new StringBuilder("union ").append(name).append(" switch (int d) {\n");
    for (int i = 0; i < arms; i++) {
      text.append("case ").append(100_000 + i).append(": int arm_").append(i).append(";\n");
    }
    return text.append("default: int other;\n};\n").toString();
  }

  /** A program whose one version has {@code count} procedures. */
  private static String programOf(String name, int count) {
    StringBuilder text = new StringBuilder("program ").append(name).append(" {\n version V {\n");
    for (int i = 1; i <= count; i++) {
      text.append("  int P").append(i).append("(int) = ").append(i).append(";\n");
    }
    return text.append(" } = 1;\n} = 0x20000123;\n").toString();
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

  /**
   * A union's codec decodes every arm in one JVM method, about 23 bytes of code an {@code int}
   * arm: 2,847 of them and the default fill 65,520 of a method's 65,535 bytes, and javac compiles
   * them (in 27 s on this machine); one more it rejects ("code too large"), and idlc, which
   * generated it with no error (a union of 30,000 arms too), now refuses it, as it does an enum.
   */
  @Test
  void theWidestUnionAllowedCompilesInJava() throws IOException {
    IdlCompiler.Result result = compile(unionOf("widest", 2_847));
    assertTrue(result.succeeded(), result.diagnostics().format());
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(source -> sources.put(source.path(), source.content()));
    JavaSources.compile(sources, temp.resolve("java"));
  }

  @Test
  void oneArmMoreIsAnErrorAndNoJava() throws IOException {
    IdlCompiler.Result result = compile(unionOf("wider", 2_848) + "const C = 1;\n");
    assertEquals(List.of("limits.x:1:7: error: union 'wider' has too many arms for Java: its 2849"
        + " arms' encoding or decoding, each one JVM method, takes about 65543 bytes of code, where"
        + " a method holds at most 65535; arms of one type can share one arm of many case labels (8"
        + " bytes a label), which encodes the same bytes"), result.diagnostics().format().lines()
        .filter(line -> line.contains(": error: ")).map(line -> line.replaceAll(".*/", "")).toList());
    assertEquals(List.of(), result.sources());
  }

  /** {@code program NAME} whose one version has {@code count} procedures of {@code void}. */
  private static String voidProgramOf(String name, int count) {
    StringBuilder text = new StringBuilder("program ").append(name).append(" {\n version V {\n");
    for (int i = 1; i <= count; i++) {
      text.append("  void P").append(i).append("(void) = ").append(i).append(";\n");
    }
    return text.append(" } = 1;\n} = 0x20000123;\n").toString();
  }

  /**
   * A version's holder class makes each procedure's field in its initialiser, 30 bytes of code a
   * procedure of void numbered past 127: 2,188 fill 65,509 of a method's 65,535 bytes and javac
   * compiles them; one more it rejects ("code too large"), and idlc, which generated it (and a
   * version of 10,000), now refuses it.
   */
  @Test
  void theLargestVersionAllowedCompilesInJava() throws IOException {
    IdlCompiler.Result result = compile(voidProgramOf("BUSIEST", 2_188));
    assertTrue(result.succeeded(), result.diagnostics().format());
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(source -> sources.put(source.path(), source.content()));
    JavaSources.compile(sources, temp.resolve("java"));
  }

  @Test
  void oneProcedureMoreIsAnErrorAndNoJava() throws IOException {
    IdlCompiler.Result result = compile(voidProgramOf("BUSIER", 2_189) + "const C = 1;\n");
    assertEquals(List.of("limits.x:1:9: error: version 'V' of program 'BUSIER' has too many"
        + " procedures for Java: its 2189 procedures' fields, made in its class's initialiser, one"
        + " JVM method, take at least 65539 bytes of code, where a method holds at most 65535;"
        + " versions or programs of fewer procedures each can serve them"),
        result.diagnostics().format().lines().filter(line -> line.contains(": error: "))
            .map(line -> line.replaceAll(".*/", "")).toList());
    assertEquals(List.of(), result.sources());
  }

  /**
   * A bounded string's codec is a call ({@code XdrCodecs.string(10)}, 5 bytes where a {@code
   * getstatic} takes 3): 2,000 procedures of one take 67,869 bytes, which javac rejects, and idlc
   * counted only the 59,869 of procedures of void.
   */
  @Test
  void codecsMadeByACallCountToo() throws IOException {
    StringBuilder text = new StringBuilder("typedef string s10<10>;\nprogram STRINGS {\n version V {\n");
    for (int i = 1; i <= 2_000; i++) {
      text.append("  s10 P").append(i).append("(s10) = ").append(i).append(";\n");
    }
    IdlCompiler.Result result = compile(text.append(" } = 1;\n} = 0x20000123;\n").toString());
    assertEquals(List.of("limits.x:2:9: error: version 'V' of program 'STRINGS' has too many"
        + " procedures for Java: its 2000 procedures' fields, made in its class's initialiser, one"
        + " JVM method, take at least 67869 bytes of code, where a method holds at most 65535;"
        + " versions or programs of fewer procedures each can serve them"),
        result.diagnostics().format().lines().filter(line -> line.contains(": error: "))
            .map(line -> line.replaceAll(".*/", "")).toList());
  }

  /** Arms of arrays of structs take 79 bytes each where an int takes 23: fewer fit. */
  @Test
  void armsOfLargerCodeFitFewer() throws IOException {
    StringBuilder text = new StringBuilder("struct s { int a; };\nunion arrays switch (int d) {\n");
    for (int i = 0; i < 900; i++) {
      text.append("case ").append(i).append(": s arm_").append(i).append("<>;\n");
    }
    IdlCompiler.Result result = compile(text.append("};\n").toString());
    assertTrue(result.diagnostics().format().contains("limits.x:2:7: error: union 'arrays' has too"
        + " many arms for Java: its 900 arms' encoding or decoding"),
        result.diagnostics().format());
  }

  /**
   * javac in a thread with a small stack, where the depth of a chain shows at 150 links: the
   * union's encoding was an else-if chain and its default arm's check one {@code ||} expression,
   * bind() one chain of calls, each overflowing this stack (and javac's usual one at ~1,000).
   */
  @Test
  void manyArmsAndProceduresAreNoDeeperForJavac() throws Exception {
    IdlCompiler.Result result = compile(unionOf("wide", 150) + programOf("BUSY", 150));
    assertTrue(result.succeeded(), result.diagnostics().format());
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(source -> sources.put(source.path(), source.content()));
    Throwable[] failure = new Throwable[1];
    Thread javac = new Thread(null, () -> {
      try {
        JavaSources.compile(sources, temp.resolve("java"));
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "javac", 160 * 1024);
    javac.start();
    javac.join();
    if (failure[0] != null) {
      throw new AssertionError("javac in a 160 KiB stack", failure[0]);
    }
  }
}
