package org.onyxrpc.idl.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.source.Diagnostics;

/**
 * {@code __has_include} and {@code __has_include_next} as gcc's cpp (12) reads them in {@code #if},
 * each case checked against {@code cpp -P -I inc1 -I inc2 main.x} over the same files (round 31).
 */
class PreprocessorHasIncludeParityTest {
  @TempDir Path dir;
  private final Diagnostics diagnostics = new Diagnostics();

  private String run(String text) throws Exception {
    Path inc1 = Files.createDirectories(dir.resolve("inc1"));
    Path inc2 = Files.createDirectories(dir.resolve("inc2"));
    Path sub = Files.createDirectories(dir.resolve("sub"));
    Files.writeString(inc1.resolve("a.h"), """
        #if __has_include_next(<a.h>)
        j
        #endif
        #if __has_include_next(<b.h>)
        k
        #endif
        #if __has_include_next("a.h") && !__has_include_next(<c.h>)
        l
        #endif
        """);
    Files.writeString(inc2.resolve("a.h"), "");
    Files.writeString(inc2.resolve("b.h"), "");
    Files.writeString(inc1.resolve("c.h"), "");
    Files.writeString(sub.resolve("local.h"), "");
    Files.writeString(sub.resolve("inc.h"), """
        #if __has_include("local.h") && __has_include(<b.h>)
        i
        #endif
        """);
    Preprocessor preprocessor = new Preprocessor(List.of(inc1, inc2),
        Preprocessor.predefined(Map.of(), List.of()), path -> path.getFileName().toString(), diagnostics);
    return preprocessor.run(dir.resolve("main.x"), text).text().replaceAll("\n+", " ").strip();
  }

  /**
   * The operand is a header name, quoted or in angle brackets, or macros that make one; it is
   * searched as #include searches it, from the file being read ("local.h" beside sub/inc.h,
   * not beside main.x), and __has_include_next after the directory that held that file. A
   * header name written in the operand is no macros ('a' is one here); in the replacement of a
   * macro it is tokens already, and cpp replaces 'a' there: HAS_A looks for <nothing.h>.
   */
  @Test
  void hasIncludeSearchesAsIncludeDoes() throws Exception {
    assertEquals("a b c d f h i j k l", run("""
        #if __has_include(<a.h>) && __has_include("a.h") && !__has_include(<nonexistent.h>)
        a
        #endif
        #if __has_include("sub/local.h") && !__has_include("local.h") && !__has_include(<sub>)
        b
        #endif
        #ifdef __has_include
        c
        #endif
        #if defined(__has_include) && defined __has_include_next
        d
        #endif
        #if __has_include ( < a.h > )
        e
        #endif
        #define HDR <b.h>
        #define a nothing
        #if __has_include(HDR) && __has_include (<a.h>) + 1 == 2
        f
        #endif
        #define HAS_A __has_include(<a.h>)
        #if HAS_A
        g
        #endif
        #if __has_include_next(<a.h>)
        h
        #endif
        #include "sub/inc.h"
        #include <a.h>
        """));
    assertEquals("", diagnostics.format());
  }

  /** An operand that is no header name in parentheses is an error, as in cpp, and the group is skipped. */
  @Test
  void anOperandThatIsNoHeaderNameIsAnError() throws Exception {
    assertEquals("", run("""
        #if __has_include(a.h)
        a
        #endif
        #if __has_include
        b
        #endif
        #if __has_include(<a.h> x)
        c
        #endif
        """));
    String needs = "' needs a header name in parentheses: __has_include(\"file\") or __has_include(<file>)\n";
    assertEquals("main.x:1:2: error: '__has_include" + needs
        + "main.x:4:2: error: '__has_include" + needs
        + "main.x:7:2: error: '__has_include" + needs, diagnostics.format());
  }

  /**
   * Outside #if and #elif, in RPCL text or in a '%' line (text to cpp too), the operators are an
   * error: cpp rejects them there ("used outside of preprocessing directive" at 1:6 for the '%'
   * line), and so rpcgen rejects the file; in a comment or a string they are text.
   */
  @Test
  void outsideConditionsTheOperatorsAreAnError() throws Exception {
    run("""
        %#if __has_include(<stdio.h>) /* __has_include */
        %#endif
        const A = __has_include_next;
        const B = "__has_include"; /* __has_include */
        """);
    String only = "' is only for #if and #elif: cpp rejects it elsewhere (\"used outside of"
        + " preprocessing directive\"), and so rpcgen rejects the file\n";
    assertEquals("main.x:1:6: error: '__has_include" + only
        + "main.x:3:11: error: '__has_include_next" + only, diagnostics.format());
  }
}
