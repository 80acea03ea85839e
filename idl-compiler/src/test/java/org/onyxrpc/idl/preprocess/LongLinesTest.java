package org.onyxrpc.idl.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.source.Diagnostics;

/**
 * A file of one long line (a generated or minified .x file, or a hostile one) is read in time
 * proportional to its length: the preprocessor copied the rest of the line at each word, so a
 * line of 1 MB took 8 s, one of 8 MB more than 10 minutes, and gigabytes of garbage a second.
 * The timeout, in a thread of its own so that it ends a test that hangs, is far above the second
 * or so each now takes.
 */
class LongLinesTest {
  private static final int LENGTH = 8_000_000;

  @TempDir Path dir;
  private final Diagnostics diagnostics = new Diagnostics();

  private String run(String text) {
    Preprocessor preprocessor = new Preprocessor(List.of(),
        Preprocessor.predefined(Map.of(), List.of()), path -> path.getFileName().toString(),
        diagnostics);
    return preprocessor.run(dir.resolve("main.x"), text).text();
  }

  private static String repeatedTo(int length, String piece) {
    StringBuilder text = new StringBuilder(length + piece.length());
    for (int i = 0; text.length() < length; i++) {
      text.append(piece.replace("#", Integer.toString(i)));
    }
    return text.toString();
  }

  /** Asserts the texts equal, telling the first difference rather than megabytes of both. */
  private void assertSame(String expected, String actual) {
    int i = 0;
    while (i < expected.length() && i < actual.length() && expected.charAt(i) == actual.charAt(i)) {
      i++;
    }
    int at = i;
    assertEquals(expected.length(), at, () -> "differs at " + at + ": expected '"
        + expected.substring(at, Math.min(expected.length(), at + 60)) + "', was '"
        + actual.substring(at, Math.min(actual.length(), at + 60)) + "'");
    assertEquals(expected.length(), actual.length());
    assertEquals("", diagnostics.format());
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aLineOfManyWordsIsReadInOnePass() {
    String line = repeatedTo(LENGTH, "const C# = #; ");
    assertSame(line + "\n\n", run(line + "\n"));  // the text read ends in a newline of its own
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aLineOfManyMacroCallsIsReadInOnePass() {
    // A call in ten words: a line's replacements are bounded too (Macros.EXPANSION_LIMIT).
    String line = repeatedTo(LENGTH, "F(#) G " + "const C# = #; ".repeat(9));
    String expected = line.replaceAll("F\\((\\d+)\\) G", "$1 2");
    assertSame("\n\n" + expected + "\n\n", run("#define F(x) x\n#define G 2\n" + line + "\n"));
  }
}
