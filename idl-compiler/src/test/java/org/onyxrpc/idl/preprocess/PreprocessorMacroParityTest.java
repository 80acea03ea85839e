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
 * Macros as rpcgen's cpp (gcc's, run as {@code cpp -C}) replaces them, each case checked against
 * it (round 30): stringizing, variadic macros, {@code #line} and redefinitions.
 */
class PreprocessorMacroParityTest {
  @TempDir Path dir;
  private final Diagnostics diagnostics = new Diagnostics();

  private String run(String text) {
    return PreprocessedText.onOneLine(dir, diagnostics, text);
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

  /**
   * GNU's named variadic parameter ('args...'), its ', ## __VA_ARGS__' that drops the comma when
   * no variable argument is given, and C23's __VA_OPT__, which real .x files' cpp knows.
   */
  @Test
  void variadicMacrosTakeGnusAndC23sForms() {
    // cpp's tokens; its blanks differ, which RPCL does not see.
    assertEquals("struct s1 { int a; }; struct s2 { int a; int b; int c; };"
        + " f(1) f(1 ,2) f(1 ,2, 3) g(1) g(1 , 2) g(1 , 2, 3) h() h(a, b)", run("""
        #define G(t, args...) struct t { int a; args };
        #define W(x, ...) f(x , ## __VA_ARGS__)
        #define O(x, ...) g(x __VA_OPT__(, __VA_ARGS__))
        #define N(args...) h(args)
        G(s1) G(s2, int b; int c;)
        W(1) W(1, 2) W(1, 2, 3)
        O(1) O(1, 2) O(1, 2, 3)
        N() N(a, b)
        """).replaceAll(" +", " ").replace(" )", ")"));
    assertEquals("", diagnostics.format());
  }

  /**
   * In a function-like macro, '#' must name a parameter ('##' pastes); cpp rejects the file
   * otherwise, and so rpcgen does.
   */
  @Test
  void aHashNotBeforeAParameterIsAnError() {
    run("""
        #define F(x) # y
        #define G(x, ...) #x #__VA_ARGS__ x ## y "#"
        #define H #y
        """);
    assertEquals("main.x:1:2: error: '#' is not followed by a macro parameter in the body of 'F'\n",
        diagnostics.format());
  }

  /** cpp replaces the macros of a #line that is not a line number as written. */
  @Test
  void lineDirectivesHaveTheirMacrosReplaced() {
    assertEquals("const L = 200; \"f.x\" 300", run("""
        #define LN 200
        #define WHERE 300 "f.x"
        #line LN
        const L = __LINE__;
        #line WHERE
        __FILE__ __LINE__
        """));
    assertEquals("", diagnostics.format());
  }

  /**
   * The pragmas cpp acts on: push_macro and pop_macro save and restore a definition (or its
   * absence), GCC warning and error say their text; one cpp leaves for C makes rpcgen fail, and
   * idlc warns that it ignores it.
   */
  @Test
  void pragmasCppActsOnAreAppliedAndOthersWarned() {
    assertEquals("const A = 2; const B = 1; const C = Y;", run("""
        #define X 1
        #pragma push_macro("X")
        #undef X
        #define X 2
        const A = X;
        #pragma pop_macro("X")
        const B = X;
        #pragma push_macro("Y")
        #define Y 5
        #pragma pop_macro("Y")
        const C = Y;
        #pragma GCC warning "careful"
        #pragma GCC error "stop here"
        #pragma once
        #pragma GCC poison nothing
        #pragma pack(4)
        """));
    assertEquals("""
        main.x:12:2: warning: careful
        main.x:13:2: error: stop here
        main.x:16:2: warning: '#pragma pack(4)' is ignored; rpcgen's cpp leaves it for C, and rpcgen then rejects the file ("preprocessor error")
        """, diagnostics.format());
  }

  /**
   * cpp warns of a macro defined again with other parameters, tokens or blanks between tokens
   * (not for more or fewer blanks, nor for the same definition again), and uses the new one.
   * The warning points at the macro's name, which it names (gcc 12 gives the line only, column
   * 0; clang the name's column), wherever blanks put the name.
   */
  @Test
  void aMacroRedefinedDifferentlyIsWarned() {
    assertEquals("const A = 2 + a b + g(1);", run("""
        #define N 1
        #define N 2
        #define N 2
        #define M  a   b
        #define M a b
        #define M a/**/b
        #define P a b
        #define P ab
        #define P a b
        #define Q "a  b"
        #define Q "a b"
        #define F(x) x
        #define F(y) y
        #define F( y ) y
        #define G (x)
        #define G(x) f(x)
        #define G(x) f(x)
          #  define   G(x) g(x)
        const A = N + M + G(1);
        """).replaceAll(" +", " "));
    String redefined = " redefined with other parameters or body than before (as cpp, idlc uses"
        + " this definition from here on)\n";
    assertEquals("main.x:2:9: warning: 'N'" + redefined
        + "main.x:8:9: warning: 'P'" + redefined
        + "main.x:9:9: warning: 'P'" + redefined
        + "main.x:11:9: warning: 'Q'" + redefined
        + "main.x:13:9: warning: 'F'" + redefined
        + "main.x:16:9: warning: 'G'" + redefined
        + "main.x:18:15: warning: 'G'" + redefined, diagnostics.format());
  }

  /**
   * Text after the macro name of #ifdef and #ifndef, and after #else and #endif, is ignored with
   * cpp's warning; a comment is no text, and a skipped group's directives are not checked.
   */
  @Test
  void extraTokensAfterConditionalDirectivesAreWarned() {
    assertEquals("const A = 1; const B = 2; const C = 3;", run("""
        #define X 1
        #ifdef X junk
        const A = 1;
        #endif junk /* c */
        #ifndef X junk
        #else junk
        const B = 2;
        #endif
        #ifdef X /* c */
        #else /* c */
        #endif // c
        #if 0
        #ifdef Y junk
        #else junk
        #endif junk
        #endif
        #ifdef X(
        const C = 3;
        #endif
        """));
    assertEquals("""
        main.x:2:2: warning: extra tokens at end of #ifdef directive (ignored, as cpp ignores them)
        main.x:4:2: warning: extra tokens at end of #endif directive (ignored, as cpp ignores them)
        main.x:5:2: warning: extra tokens at end of #ifndef directive (ignored, as cpp ignores them)
        main.x:6:2: warning: extra tokens at end of #else directive (ignored, as cpp ignores them)
        main.x:17:2: warning: extra tokens at end of #ifdef directive (ignored, as cpp ignores them)
        """, diagnostics.format());
  }

  /**
   * #include_next searches the include directories after the one that held the current file, as
   * cpp does for a header that wraps another of the same name; in the primary file, all of them.
   */
  @Test
  void includeNextSearchesTheDirectoriesAfterTheCurrentFiles() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    Files.writeString(a.resolve("h.x"), "const FROM_A = 1;\n#include_next <h.x>\n");
    Files.writeString(b.resolve("h.x"), "const FROM_B = 2;\n");
    Preprocessor preprocessor = new Preprocessor(List.of(a, b),
        Preprocessor.predefined(Map.of(), List.of()), path -> path.getFileName().toString(), diagnostics);
    String text = preprocessor.run(dir.resolve("main.x"), "#include <h.x>\n#include_next <h.x>\n")
        .text().replaceAll("\n+", " ").strip();
    assertEquals("const FROM_A = 1; const FROM_B = 2; const FROM_A = 1; const FROM_B = 2;", text);
    assertEquals("main.x:2:2: warning: #include_next in the primary source file (searched as #include)\n",
        diagnostics.format());
  }

  /**
   * A call with another number of arguments than its macro takes is told at its ')', where cpp
   * tells it ("macro "O" passed 2 arguments, but takes just 1" at 5:4): on the call's last line
   * when its arguments go on over several, not at the name on the first.
   */
  @Test
  void aWrongArgumentCountIsToldAtTheCallsClosingParenthesis() {
    run("""
        #define M(a, b) a b;
        struct s { M(int, x, y) int z; };
        #define O(a) a
        const R = O(1,
         2 );
        """);
    String count = " arguments, which is not the number it takes\n";
    assertEquals("main.x:2:23: error: macro 'M' called with 3" + count
        + "main.x:5:4: error: macro 'O' called with 2" + count, diagnostics.format());
  }

  /**
   * A call whose arguments do not end is told at the end of the file's last line, where cpp tells
   * it ("unterminated argument list invoking macro "F"" at 3:9), not at its name on an earlier
   * line, which the message gives.
   */
  @Test
  void argumentsThatDoNotEndAreToldAtTheEndOfTheFile() {
    run("""
        #define F(x) x
        const A = F(1, /* c */
          2 // d
        """);
    assertEquals("main.x:3:9: error: the arguments of macro 'F' (called at 2:11) do not end: no ')'"
        + " before the end of the file\n", diagnostics.format());
  }

  /** gcc's __STDC_VERSION__ (gnu17's, gcc 8 to 14's default) and __STDC_HOSTED__, tested by headers. */
  @Test
  void stdcVersionAndHostedAreGccs() {
    assertEquals("const V = 201710L;", run("""
        #if __STDC_VERSION__ >= 201710L && __STDC_HOSTED__
        const V = __STDC_VERSION__;
        #endif
        """));
    assertEquals("", diagnostics.format());
  }
}
