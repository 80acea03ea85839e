package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
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
}
