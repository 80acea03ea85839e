package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file with a syntax error in each of thousands of definitions: each is reported once, without
 * its echo, and telling echoes apart walks no definition twice (it walked every definition of the
 * file at every error: 20,000 such structs took seven minutes, now about a second).
 */
class ManySyntaxErrorsTest {
  @TempDir Path dir;

  @Test
  void eachOfThousandsOfBrokenDefinitionsIsReportedOnce() throws Exception {
    int count = 5_000;
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append("struct S").append(i).append(" { int x<1><2>; int y; };\n");
    }
    Files.writeString(dir.resolve("many.idl"), text);
    IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(), List.of(dir.resolve("many.idl")));
    List<String> errors = result.diagnostics().format().lines().filter(l -> l.contains(": error: ")).toList();
    assertEquals(count, errors.size(), errors.subList(0, Math.min(5, errors.size())).toString());
    String message = ": error: 'x<1><2>' has two bounds, and an XDR declaration takes one: name the element type"
        + " with its bound in a typedef first ('typedef int Element<…>;'), then declare the array of it with the"
        + " other ('Element x<…>;')";
    assertEquals("many.idl:1:21" + message, errors.get(0));
    assertEquals("many.idl:" + count + ":" + (21 + String.valueOf(count - 1).length() - 1) + message,
        errors.get(count - 1));
  }

  /**
   * Thousands of errors on one long line (a generated or hostile file) are shown in time
   * proportional to the line: each excerpt read the whole line again (its tabs expanded, its
   * control characters replaced, its display columns counted), 40,000 errors on a 1.5 MB line 6 min
   * 17 s of CPU. The line starts with a tab, so the carets stand at display columns. The timeout, in a
   * thread of its own, is far above the second or so it takes.
   */
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void thousandsOfErrorsOnOneLongLineAreShownInOnePass() throws Exception {
    int count = 40_000;
    StringBuilder text = new StringBuilder("\t");
    for (int i = 0; i < count; i++) {
      text.append("struct S").append(i).append(" { int x<1><2>; int y; }; ");
    }
    Files.writeString(dir.resolve("line.idl"), text.append('\n'));
    IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(), List.of(dir.resolve("line.idl")));
    List<String> lines = result.diagnostics().format().lines().toList();
    assertEquals(3 * count, lines.size(), lines.subList(0, Math.min(6, lines.size())).toString());
    // As before the fix (taken from its output, which took 6 min 17 s of CPU).
    assertTrue(lines.get(0).startsWith("line.idl:1:29: error: 'x<1><2>' has two bounds"), lines.get(0));
    assertEquals("          struct S0 { int x<1><2>; int y; }; struct S1 { int x<1><2>; int y; };"
        + " struct S2 { int x<1><2>; int y; }; struct ...", lines.get(1));
    assertEquals(" ".repeat(30) + "^", lines.get(2));
    assertTrue(lines.get(3 * count - 3).startsWith("line.idl:1:1548884: error: 'x<1><2>' has two bounds"),
        lines.get(3 * count - 3));
    assertEquals("  ... }; struct S39997 { int x<1><2>; int y; }; struct S39998 { int x<1><2>; int y; };"
        + " struct S39999 { int x<1><2>; int y; };", lines.get(3 * count - 2));
    assertEquals(" ".repeat(111) + "^", lines.get(3 * count - 1));
  }
}
