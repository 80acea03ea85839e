package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onyxrpc.idl.source.SourceFiles;

/**
 * Each folder under {@code diagnostics/} holds {@code .idl} (or {@code .x}, {@code .rpcl}) files
 * with mistakes and {@code expected.txt}, the complete text the compiler must print for them (all
 * files are compiled together, in name order). {@code -Dgolden.update=true} rewrites the
 * expectations.
 */
class DiagnosticsTest {
  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(Golden.resources().resolve("diagnostics"))) {
      return dirs.map(d -> d.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void reportsEveryMistake(String name) throws IOException {
    Path dir = Golden.resources().resolve("diagnostics").resolve(name);
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(SourceFiles::isSource).sorted().toList();
    }
    IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(), files);
    String actual = result.diagnostics().format();
    Path expected = dir.resolve("expected.txt");
    if (Golden.update()) {
      Files.writeString(expected, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual);
    assertFalse(actual.contains("Exception"), "no stack traces in diagnostics");
  }
}
