package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large declarations are compiled in time proportional to their size: JavaGenerator kept each
 * generated type in a map keyed by its TypeSpec, whose hashCode renders it whole (twice, with the
 * lookup), and a type Java cannot hold (JavaLimits) was still rendered to text that was then
 * thrown away. The timeouts, in a thread of their own, are far above the seconds each takes.
 */
class LargeDeclarationsTest {
  @TempDir Path temp;

  private IdlCompiler.Result compile(String text) throws IOException {
    Path file = temp.resolve("large.x");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return IdlCompiler.compile(temp, List.of(), List.of(file));
  }

  /** The widest union Java holds (JavaLimitsTest): 2,847 arms of an int, and its default. */
  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aUnionOfManyArmsIsGeneratedOnce() throws IOException {
    StringBuilder text = new StringBuilder("union U switch (int d) {\n");
    for (int i = 0; i < 2_847; i++) {
      text.append("case ").append(i).append(": int arm_").append(i).append(";\n");
    }
    IdlCompiler.Result result = compile(text.append("default: void;\n};\n").toString());
    assertEquals("", result.diagnostics().format());
    assertEquals(1, result.sources().size());
    assertTrue(result.sources().get(0).content().contains("record Arm2846(int arm2846)"));
  }

  /**
   * A union of 30,000 arms, whose Java javac rejects ("code too large"), is refused before
   * JavaPoet builds it: it was generated, 9 KB of objects an arm and 14 MB of text.
   */
  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aUnionJavaCannotHoldIsRefusedWithoutItsText() throws IOException {
    StringBuilder text = new StringBuilder("union U switch (int d) {\n");
    for (int i = 0; i < 30_000; i++) {
      text.append("case ").append(i).append(": int arm_").append(i).append(";\n");
    }
    IdlCompiler.Result result = compile(text.append("default: void;\n};\n").toString());
    assertTrue(result.diagnostics().format().startsWith(
        "large.x:1:7: error: union 'U' has too many arms for Java: its 30001 arms"),
        result.diagnostics().format());
    assertEquals(List.of(), result.sources());
  }

  /** As many procedures as a version's class holds (JavaLimitsTest). */
  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aProgramOfManyProceduresIsGeneratedOnce() throws IOException {
    StringBuilder text = new StringBuilder("program P {\n version V {\n");
    for (int i = 1; i <= 2_188; i++) {
      text.append("  int PROC").append(i).append("(int) = ").append(i).append(";\n");
    }
    IdlCompiler.Result result = compile(text.append(" } = 1;\n} = 0x20000123;\n").toString());
    assertEquals("", result.diagnostics().format());
    assertTrue(result.sources().stream().anyMatch(s -> s.content().contains("impl.proc2188(args)")),
        () -> result.sources().stream().map(IdlCompiler.GeneratedSource::path).toList().toString());
  }

  /** A struct refused for Java has no text rendered: the result's sources are empty, as said. */
  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aStructJavaCannotHoldIsRefusedWithoutItsText() throws IOException {
    StringBuilder text = new StringBuilder("struct S {\n");
    for (int i = 0; i < 50_000; i++) {
      text.append("  int f").append(i).append(";\n");
    }
    IdlCompiler.Result result = compile(text.append("};\nconst C = 1;\n").toString());
    assertTrue(result.diagnostics().format().startsWith(
        "large.x:1:8: error: struct 'S' has too many fields for Java: its 50000 fields"),
        result.diagnostics().format());
    assertEquals(List.of(), result.sources());
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void anEnumJavaCannotHoldIsRefused() throws IOException {
    StringBuilder text = new StringBuilder("enum E {\n");
    for (int i = 0; i < 100_000; i++) {
      text.append(i == 0 ? "" : ",\n").append("  E_").append(i).append(" = ").append(i);
    }
    IdlCompiler.Result result = compile(text.append("\n};\n").toString());
    assertTrue(result.diagnostics().format().startsWith(
        "large.x:1:6: error: enum 'E' has too many values for Java: 100000"),
        result.diagnostics().format());
    assertEquals(List.of(), result.sources());
  }
}
