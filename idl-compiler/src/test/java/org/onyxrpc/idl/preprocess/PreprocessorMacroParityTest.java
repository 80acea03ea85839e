package org.onyxrpc.idl.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.source.Diagnostics;

/**
 * Macros as rpcgen's cpp (gcc's, run as {@code cpp -C}) replaces them, each case checked against
 * it (round 30): stringizing, variadic macros, {@code #line} and redefinitions.
 */
class PreprocessorMacroParityTest {
  @TempDir Path dir;
  private final Diagnostics diagnostics = new Diagnostics();

  private String run(String text) {
    Preprocessor preprocessor = new Preprocessor(List.of(),
        Preprocessor.predefined(Map.of(), List.of()), path -> "main.x", diagnostics);
    return preprocessor.run(dir.resolve("main.x"), text).text().replaceAll("\n+", " ").strip();
  }

  /**
   * '#' makes a string of the argument's tokens with one blank between those that had any, none
   * at its ends; a string or character constant inside keeps its own blanks.
   */
  @Test
  void stringizingCollapsesBlanksBetweenTokens() {
    assertEquals("const A = \"a b c\"; const B = \"x \\\"p   q\\\" 'r'\"; const C = \"\";", run("""
        #define S(x) #x
        const A = S(  a   b\tc  );
        const B = S( x   "p   q"  'r' );
        const C = S(   );
        """));
    assertEquals("", diagnostics.format());
  }
}
