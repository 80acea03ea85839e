package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Any text given to the compiler, as an {@code .idl} or as an {@code .x} file run through the
 * preprocessor: the compiler answers with diagnostics in the {@code file:line:col: severity:}
 * form or with Java sources, and never with an exception or a stack overflow. Corpus:
 * {@code src/test/resources/org/onyxrpc/idl/CompilerFuzzTestInputs}.
 */
class CompilerFuzzTest {
  private static final Pattern LINE =
      Pattern.compile("(input\\.(idl|x):\\d+:\\d+: (error|warning): .*|  .*)");
  private static final Path DIR = tempDir();

  @FuzzTest
  void compileAnything(byte[] input) throws IOException {
    String name = input.length > 0 && (input[0] & 1) == 1 ? "input.x" : "input.idl";
    Path file = DIR.resolve(name);
    Files.write(file, input);
    IdlCompiler.Result result = IdlCompiler.compile(DIR, List.of(), List.of(file));
    for (String line : result.diagnostics().format().split("\n", -1)) {
      assertTrue(line.isEmpty() || LINE.matcher(line).matches(), () -> "not a diagnostic: " + line);
    }
    assertTrue(result.succeeded() || result.sources().isEmpty(), "sources despite errors");
  }

  private static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("onyx-idl-fuzz");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
