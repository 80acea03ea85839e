package org.onyxrpc.idl.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onyxrpc.idl.source.CompilerOptions;

/**
 * One case per rule of the compatibility checker (the table in idl-compiler/README.md): each
 * folder of {@code src/test/resources/compat/} holds {@code old/}, {@code new/} and
 * {@code expected.txt}, the complete findings with {@code --verbose}. Rewrite the expected
 * text after an intended change with {@code -Dgolden.update=true}.
 */
class CompatRulesTest {
  private static final Path CASES = Path.of("src/test/resources/compat");

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(CASES)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted()
          .toList().stream();
    }
  }

  @Test
  void theReadmeTableNamesEveryCase() throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    String table = readme.substring(readme.indexOf("| change | finding | case |"),
        readme.indexOf("How it works:"));
    List<String> named = table.lines().skip(2)
        .filter(row -> row.startsWith("|"))
        .map(row -> row.split("\\|")[3])
        .flatMap(cell -> java.util.regex.Pattern.compile("`([a-z-]+)`").matcher(cell).results())
        .map(m -> m.group(1)).distinct().sorted().toList();
    assertEquals(cases().toList(), named);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void findings(String name) throws IOException {
    Path dir = CASES.resolve(name);
    CompatibilityChecker.Result result = CompatibilityChecker.check(dir, dir.resolve("old"),
        dir.resolve("new"), CompilerOptions.includes(List.of()));
    assertEquals("", result.diagnostics().format(), "both versions must compile");
    String actual = result.report().orElseThrow().format(true, false);
    Path expected = dir.resolve("expected.txt");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(expected, actual, StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(expected), "missing " + expected);
    assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual, name);
  }
}
