package org.onyxrpc.idl.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;

class PreprocessorTest {
  @TempDir Path dir;
  private final Diagnostics diagnostics = new Diagnostics();

  private Preprocessor.Result run(String text, Map<String, String> defines, List<Path> includes) {
    Preprocessor preprocessor = new Preprocessor(includes,
        Preprocessor.predefined(defines, List.of("RPC_SVC")),
        path -> path.equals(dir) ? "." : path.toAbsolutePath().startsWith(dir)
            ? dir.relativize(path.toAbsolutePath()).toString() : path.toString(), diagnostics);
    return preprocessor.run(dir.resolve("main.x"), text);
  }

  @Test
  void conditionalsPickOneBranchAndKeepLineNumbers() {
    Preprocessor.Result result = run("""
        #if VERSION >= 3 && defined RPC_HDR
        three
        #elif VERSION == 2 || (1 ? 0 : 1)
        two
        #else
        other
        #endif
        #ifdef RPC_SVC
        svc
        #endif
        """, Map.of("VERSION", "2"), List.of());
    assertEquals("\n\n\ntwo\n\n\n\n\n\n\n\n", result.text());
    assertEquals("", diagnostics.format());
  }

  /**
   * A branch skipped only because an rpcgen symbol is defined notes the names it declares, for
   * the hint of an unknown one; a branch skipped for anything else (a mistake, another macro,
   * 0) notes nothing.
   */
  @Test
  void branchesSkippedForAnRpcgenSymbolNoteWhatTheyDeclare() {
    Preprocessor.Result result = run("""
        #ifndef RPC_HDR
        typedef opaque key[8];
        struct pair { int a; };
        #endif
        #ifdef
        typedef int broken;
        #endif
        #if defined(RPC_CLNT) && defined(TRACE)
        const TRACE_MAX = 4;
        #elif 0
        const NEVER = 1;
        #endif
        #ifdef RPC_XDR
        #else
        enum mode { MODE_A = 1, MODE_B = 2 };
        #endif
        """, Map.of(), List.of());
    assertEquals(List.of(
        "key main.x:2:16 '#ifndef RPC_HDR' RPC_HDR",
        "pair main.x:3:8 '#ifndef RPC_HDR' RPC_HDR",
        "mode main.x:15:6 the '#else' of '#ifdef RPC_XDR' RPC_XDR",
        "MODE_A main.x:15:13 the '#else' of '#ifdef RPC_XDR' RPC_XDR",
        "MODE_B main.x:15:25 the '#else' of '#ifdef RPC_XDR' RPC_XDR"),
        result.skippedDefinitions().stream()
            .map(d -> d.name() + " " + d.location() + " " + d.branch() + " " + d.symbol()).toList());
    assertEquals("main.x:5:2: error: #ifdef needs a macro name\n", diagnostics.format());
  }

  @Test
  void macrosReplaceNamesButNotStringsOrComments() {
    Preprocessor.Result result = run("""
        #define SIZE LIMIT * 2
        #define LIMIT 8
        /* SIZE
        #define NOT_A_DIRECTIVE 1
        */ int a[SIZE]; const S = "SIZE"; // SIZE
        """, Map.of(), List.of());
    assertEquals("\n\n/* SIZE\n#define NOT_A_DIRECTIVE 1\n*/ int a[8 * 2]; const S = \"SIZE\"; // SIZE\n\n",
        result.text());
  }

  @Test
  void passThroughLinesAreBlankedAndTheirDefinesKept() {
    Preprocessor.Result result = run("""
        %#define MAXLEN (BASE + 1) /* C and Java */
        %#define F(x) x
        %#include <rpc/rpc.h> /* a comment that goes on
        still the comment */ int x;
        """, Map.of(), List.of());
    assertEquals("\n\n\n                     int x;\n\n", result.text());
    assertEquals(List.of(new PassThroughDefine("MAXLEN", "(BASE + 1)",
        new Location("main.x", 1, 10), new Location("main.x", 1, 17))), result.passThroughDefines());
  }

  /** cpp replaces macros in '%' lines too: rpcgen's header says '#define M 16' here. */
  @Test
  void passThroughDefinesSeeMacroValues() {
    Preprocessor.Result result = run("""
        #define N 16
        #define TWICE(x) ((x) * 2)
        %#define M N
        %#define L TWICE(N) + 1
        """, Map.of(), List.of());
    assertEquals(List.of(
        new PassThroughDefine("M", "16", new Location("main.x", 3, 10), new Location("main.x", 3, 12)),
        new PassThroughDefine("L", "((16) * 2) + 1", new Location("main.x", 4, 10),
            new Location("main.x", 4, 12))), result.passThroughDefines());
    assertEquals("", diagnostics.format());
  }

  @Test
  void includesAndLineDirectivesMapPositionsToTheirFiles() throws Exception {
    Files.createDirectories(dir.resolve("sys"));
    Files.writeString(dir.resolve("sys/types.x"), "typedef int t;\n");
    Preprocessor.Result result = run("""
        #include <types.x>
        a
        #line 100 "generated.x"
        b
        """, Map.of(), List.of(dir.resolve("sys")));
    assertEquals("\ntypedef int t;\n\na\n\nb\n\n", result.text());
    assertEquals(new Location("sys/types.x", 1, 9), result.lines().locate(2, 9));
    assertEquals(new Location("main.x", 2, 1), result.lines().locate(4, 1));
    assertEquals(new Location("generated.x", 100, 1), result.lines().locate(6, 1));
  }

  /** cpp reads a file that says '#pragma once' once, however many files include it. */
  @Test
  void aFileWithPragmaOnceIsIncludedOnce() throws Exception {
    Files.writeString(dir.resolve("common.x"), "#pragma once\nenum e { E1 = 1 };\n");
    Files.writeString(dir.resolve("a.x"), "#include \"common.x\"\nstruct a { e x; };\n");
    Preprocessor.Result result = run("""
        #include "common.x"
        #include "a.x"
        #include "common.x"
        """, Map.of(), List.of());
    assertEquals("\n\nenum e { E1 = 1 };\n\n\n\nstruct a { e x; };\n\n\n\n", result.text());
    assertEquals("", diagnostics.format());
  }

  @Test
  void continuationsJoinDirectivesAndKeepRpclLines() {
    Preprocessor.Result result = run("""
        #define LONG 1 + \\
          2
        int a<LONG>; \\
        int b;
        """, Map.of(), List.of());
    assertEquals("\n\nint a<1 +   2>;  \nint b;\n\n", result.text());
    assertEquals(new Location("main.x", 4, 5), result.lines().locate(4, 5));
  }

  /** Blanks after the backslash still continue the line, as in gcc's cpp, with its warning. */
  @Test
  void continuationsAllowBlanksAfterTheBackslash() {
    Preprocessor.Result result = run("#define SIZE \\ \t\n"
        + "  16\n"
        + "int a<SIZE>; \\  \n"
        + "int b;\n", Map.of(), List.of());
    assertEquals("\n\nint a<16>;  \nint b;\n\n", result.text());
    assertEquals("""
        main.x:1:14: warning: backslash and newline separated by space
        main.x:3:14: warning: backslash and newline separated by space
        """, diagnostics.format());
  }

  /** cpp replaces function-like macros in #if too, and evaluates no operand C would not. */
  @Test
  void conditionsCallMacrosAndSkipOperandsCDoesNotEvaluate() {
    Preprocessor.Result result = run("""
        #define VERSION(major, minor) ((major) * 100 + (minor))
        #define ZERO 0
        #define HAVE_VERSION defined(VERSION)
        #if VERSION(1, 2) > 100 && HAVE_VERSION
        new
        #endif
        #if ZERO && 10 / ZERO || 1 ? 1 : 1 % ZERO
        safe
        #endif
        #if ZERO ? 1 / ZERO : 2
        other
        #endif
        """, Map.of(), List.of());
    assertEquals("\n\n\n\nnew\n\n\nsafe\n\n\nother\n\n\n", result.text());
    assertEquals("", diagnostics.format());
  }

  /** A comment is one space to cpp, even over lines: the directive goes on after it ends. */
  @Test
  void aDirectiveGoesOnAfterACommentThatSpansLines() {
    Preprocessor.Result result = run("""
        #define SIZE /* the
          size */ 16
        #if SIZE > /* more
          than */ 8
        int a[SIZE];
        #endif
        """, Map.of(), List.of());
    assertEquals("\n\n\n\nint a[16];\n\n\n", result.text());
    assertEquals(new Location("main.x", 5, 5), result.lines().locate(5, 5));
    assertEquals("", diagnostics.format());
  }

  @Test
  void mistakesAreReportedAtTheDirective() {
    run("""
        #endif
        #if 1 / 0
        #elif
        #else
        #else
        #error stop here
        #include "nowhere.x"
        #bogus
        """, Map.of(), List.of());
    assertEquals("""
        main.x:1:2: error: #endif without #if
        main.x:2:2: error: #if without #endif
        main.x:2:2: error: division by zero in #if expression
        main.x:3:2: error: #if needs an expression
        main.x:5:2: error: #else after #else
        main.x:6:2: error: #error stop here
        main.x:7:2: error: cannot find include file 'nowhere.x' (searched: ., /usr/local/include, /usr/include; add a directory with -I)
        main.x:8:2: error: unknown preprocessor directive '#bogus'
        """, diagnostics.format());
  }

  @Test
  void macroCallsAcrossLinesExpandOnTheLineOfTheirName() {
    Preprocessor.Result result = run("""
        #define PAIR(a, b) a b;
        x PAIR(int, /* the name
           follows */ count) y
        #ifdef RPC_HDR
        z
        #endif
        PAIR
          (hyper, total)
        PAIR ; PAIR
        w
        """, Map.of(), List.of());
    assertEquals("\n"
        + "x int count;\n"
        + " ".repeat(21) + "y\n"
        + "\nz\n\n"
        + "hyper total;\n"
        + " ".repeat(16) + "\n"
        + "PAIR ; PAIR\n"
        + "w\n\n", result.text());
    assertEquals("", diagnostics.format());
    assertEquals(new Location("main.x", 3, 22), result.lines().locate(3, 22));
    assertEquals(new Location("main.x", 9, 1), result.lines().locate(9, 1));
  }

  @Test
  void aMacroCallThatNeverEndsIsAnError() {
    Preprocessor.Result result = run("""
        #define PAIR(a, b) a b;
        int x; PAIR(int,
        count
        """, Map.of(), List.of());
    assertEquals("\nint x; PAIR\n\n\n", result.text());
    // At the end of the last line, as cpp tells it.
    assertEquals("main.x:3:6: error: the arguments of macro 'PAIR' (called at 2:8) do not end: no ')'"
        + " before the end of the file\n", diagnostics.format());
  }
}
