package org.onyxrpc.idl.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.source.Diagnostics;

/** Where idlc's preprocessor reads a file as rpcgen's cpp (gcc's, on Linux) does; each case checked against cpp. */
class PreprocessorCppParityTest {
  @TempDir Path dir;
  private final Diagnostics diagnostics = new Diagnostics();

  private String run(String text) {
    return PreprocessedText.onOneLine(dir, diagnostics, text);
  }

  /**
   * cpp computes in uintmax_t when an operand is unsigned (a 'u' suffix, or a constant too large
   * for intmax_t), and a shift keeps its left operand's type.
   */
  @Test
  void conditionsAreUnsignedWhenAnOperandIs() {
    assertEquals("a b c d e f g", run("""
        #if -1 > 0u
        a
        #endif
        #if -1 > 0
        no
        #endif
        #if 0xFFFFFFFFFFFFFFFF > 0
        b
        #endif
        #if (0u - 1) >> 63 == 1
        c
        #endif
        #if -1 / 2u > 0
        d
        #endif
        #if (1 ? -1 : 0u) > 0
        e
        #endif
        #if (-1 << 1u) < 0 && (-1 >> 1) == -1
        f
        #endif
        #if 18446744073709551615 == -1
        g
        #endif
        """));
    assertEquals("", diagnostics.format());
  }

  /** Character constants with C's escapes, of a signed char as on x86: '\\377' is -1. */
  @Test
  void characterConstantsTakeCsEscapes() {
    assertEquals("a b c d e f", run("""
        #if 'A' == 65 && '\\x41' == 65 && '\\101' == 65
        a
        #endif
        #if '\\n' == 10 && '\\t' == 9 && '\\0' == 0 && '\\a' == 7 && '\\e' == 27
        b
        #endif
        #if '\\'' == 39 && '\\\\' == 92
        c
        #endif
        #if '\\377' < 0 && '\\xff' == -1
        d
        #endif
        #if ')' == 41
        e
        #endif
        #if '"' == 34
        f
        #endif
        """));
    assertEquals("", diagnostics.format());
  }

  /**
   * cpp rescans an expansion with the text after it: a macro whose expansion ends in the name of
   * a function-like macro calls it with the arguments that follow, in RPCL text and in #if.
   */
  @Test
  void anExpansionEndingInAFunctionLikeNameCallsItWithTheArgumentsAfter() {
    assertEquals("const A = 2 + 1; const B = 3 + 1; const C = 4 + 1; const D = G; yes", run("""
        #define G(x) x + 1
        #define F G
        #define H F
        #define ID(x) x
        const A = F(2);
        const B = H (3);
        const C = ID(F)(4);
        const D = F;
        #if F(1) == 2 && ID(H)(2) == 3
        yes
        #endif
        """));
    assertEquals("", diagnostics.format());
  }

  /**
   * rpcgen's cpp defines Linux's system macros (gcc's '-dM': __linux__, unix, ...), so a file's
   * '#ifdef __linux__' takes its branch; the machine's own ones (__x86_64__, __LP64__) it is not
   * given, its Java being every machine's.
   */
  @Test
  void linuxSystemMacrosAreDefinedAsRpcgensCppDefinesThem() {
    assertEquals("a b c 1 1", run("""
        #if defined(__linux__) && defined(__linux) && defined(__gnu_linux__)
        a
        #endif
        #if defined(__unix__) && defined(__unix) && __STDC__ == 1 && defined(__ELF__)
        b
        #endif
        #if defined(__x86_64__) || defined(__LP64__) || defined(__GNUC__)
        no
        #else
        c
        #endif
        unix linux
        """));
    assertEquals("", diagnostics.format());
  }
  /**
   * An expansion that ends in a function-like macro's name at the end of a line calls it when
   * the next text, on a later line, is its '(' (cpp joins the lines); otherwise the name stays.
   */
  @Test
  void anExpansionEndingInAFunctionLikeNameCallsItWithArgumentsOnTheNextLines() {
    // The lines a call spans stay, empty, and the text after its ')' keeps its columns.
    assertEquals("const A = 2 + 1 ; const B = 3 + 1 ; const C = 4 * 5 ; const D = G ;", run("""
        #define G(x) x + 1
        #define F G
        #define ID(x) x
        #define TWO(a, b) a * b
        #define T TWO
        const A = F
        (2);
        const B = ID(F)
          (3);
        const C = T(4,
          5);
        const D = F
        ;
        """).replaceAll(" +", " "));
    assertEquals("", diagnostics.format());
  }

  /**
   * A multi-character constant is an int of its bytes, the first highest (the last four of more),
   * with gcc's warnings.
   */
  @Test
  void multiCharacterConstantsAreGccsIntWithItsWarnings() {
    assertEquals("a b", run("""
        #if 'ab' == 24930 && 'abcd' == 0x61626364 && '\\377\\377' == 65535 && '\\377\\377\\377\\377' == -1
        a
        #endif
        #if 'abcde' == 'bcde'
        b
        #endif
        """));
    assertEquals("""
        main.x:1:2: warning: multi-character character constant
        main.x:4:2: warning: character constant too long for its type
        main.x:4:2: warning: multi-character character constant
        """, diagnostics.format());
  }

  /** cpp's -D takes a function-like macro ('F(x)=x'), and an empty value; -U of one takes it away. */
  @Test
  void predefinedMacrosMayBeFunctionLike() {
    Preprocessor preprocessor = new Preprocessor(List.of(),
        Preprocessor.predefined(Map.of("F(x, y)", "x * y", "E", "", "H(x)", "x"), List.of("H", "NEVER")),
        path -> "main.x", diagnostics);
    assertEquals("const A = 2 * 3 + ; const B = H(1);", preprocessor.run(dir.resolve("main.x"),
        "const A = F(2, 3) + E;\nconst B = H(1);\n").text().replaceAll("\n+", " ").strip());
    assertEquals("", diagnostics.format());
  }

  /**
   * cpp replaces the macros of an argument before it takes its parameter's place, so a macro's
   * call in the argument of a call of the same macro expands; an operand of # or ## is taken as
   * written.
   */
  @Test
  void argumentsAreExpandedBeforeTheyAreSubstituted() {
    assertEquals("const A = 3; const B = ((((1) > (2) ? (1) : (2))) > (3) ? (((1) > (2) ? (1) : (2))) : (3));"
        + " y y y y X1 XX \"X\" \"Y\"", run("""
        #define ID(x) x
        #define MAX(a, b) ((a) > (b) ? (a) : (b))
        #define TWICE(a) a a
        #define CAT(a, b) a##b
        #define X Y
        #define STR(x) #x
        #define XSTR(x) STR(x)
        const A = ID(ID(3));
        const B = MAX(MAX(1, 2), 3);
        TWICE(TWICE(y)) CAT(X, 1) CAT(X,X) STR(X) XSTR(X)
        """));
    assertEquals("", diagnostics.format());
  }

  /** cpp's own macros __LINE__, __FILE__ (as #line names it) and __COUNTER__, in text and in #if. */
  @Test
  void lineFileAndCounterAreCppsBuiltIns() {
    assertEquals("const L = 1; \"main.x\" 0 1 40 \"other.x\" d e", run("""
        const L = __LINE__;
        __FILE__ __COUNTER__ __COUNTER__
        #line 40 "other.x"
        __LINE__ __FILE__
        #if __LINE__ == 41 && defined(__FILE__) && defined __COUNTER__
        d
        #endif
        #ifdef __LINE__
        e
        #endif
        """));
    assertEquals("", diagnostics.format());
  }

  /**
   * A macro call whose arguments go on past its name's line: cpp gives __LINE__ in the body the
   * line of the macro's name, in an argument the argument's own line, and in the body of a macro
   * called in an argument that macro's name's line; # and ## take the argument as written.
   * Checked against gcc 12's cpp (idlc gave the line of the call's ')' to all of them).
   */
  @Test
  void lineInAMacroCallOverSeveralLinesIsTheLineOfItsToken() {
    assertEquals("const A = 3 2 ; const B = 5 5 ; const C = 8 9 8 ; const D = 12 12 11 ;"
        + " const E = 16 18 19 const Q = 22 20 ; const S1 = \"a __LINE__\" ; const P1 = A__LINE__ ;",
        run("""
        #define F(x) x __LINE__
        const A = F(
        __LINE__
        );
        const B = F(__LINE__
          );
        #define G(x, y) x y __LINE__
        const C = G(__LINE__,
         __LINE__
         );
        const D = F(
         F(__LINE__
         )
         );
        #define H(x) __LINE__ x
        const E = H(

         H(
         __LINE__))
        const Q = F
        (
        __LINE__);
        #define S(x) #x
        #define P(x, y) x ## y
        const S1 = S(a
          __LINE__);
        const P1 = P(A,
         __LINE__);
        """).replaceAll("\\s+", " "));
    assertEquals("", diagnostics.format());
  }

  /**
   * gcc's columns count a tab to the next multiple of 8 (its display columns, the default since
   * GCC 10), on the line of the file that the location names, also where #line gives the line
   * another number ('#error D' is on line 2 then, and its column counted on line 2's text).
   * Checked with gcc 12's cpp; idlc counted a tab as one column (2:3, 3:5, 4:3, 2:4).
   */
  @Test
  void columnsCountTabsToTheNextTabStopAsGccDoes() {
    run("const A = 1;\n\t#error here\n  \t#warning w\n\t#error C\n#line 2\n\t\t#error D\n");
    assertEquals("""
        main.x:2:10: error: #error here
        main.x:2:11: error: #error D
        main.x:3:10: warning: #warning w
        main.x:4:10: error: #error C
        """, diagnostics.format());
  }

  /**
   * Twenty macros each naming the one before twice ("billion laughs") make 2^20 tokens, and forty
   * more than memory holds; cpp has no bound. A replacement of more than Macros.EXPANSION_LIMIT
   * is an error at the macro, which stays a name, so the rest of the file reads on.
   */
  @Test
  void anExponentialExpansionIsAnErrorNotOutOfMemory() {
    StringBuilder text = new StringBuilder("#define L0 x\n#define F(a) a a\n");
    for (int i = 1; i <= 40; i++) {
      text.append("#define L").append(i).append(" L").append(i - 1).append(" L").append(i - 1).append('\n');
    }
    text.append("struct s { int L40; };\n#if L40\n#endif\nconst C = F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(1))))))))))))))))))))));\n")
        .append("const D = F(2);\n");
    assertEquals("struct s { int L40; }; const C = F; const D = 2 2;", run(text.toString()));
    String tooLarge = " to more than 1048576 characters and replacements, more than idlc replaces"
        + " in one line (do macros name each other many times over?)\n";
    assertEquals("main.x:43:16: error: macro 'L40' expands" + tooLarge
        + "main.x:44:2: error: the macros of this line expand" + tooLarge
        + "main.x:46:11: error: macro 'F' expands" + tooLarge, diagnostics.format());
  }

  /**
   * cpp deletes a backslash-newline, so one that splits a word or number joins it ('con\\' and
   * 'st' are 'const'); the joined word is on its first line and later lines keep their numbers.
   */
  @Test
  void aBackslashNewlineInsideAWordJoinsIt() {
    Preprocessor preprocessor = new Preprocessor(List.of(),
        Preprocessor.predefined(Map.of(), List.of()), path -> "main.x", diagnostics);
    assertEquals(List.of("const A = 10;", "", "", "const B = 2;"), List.of(preprocessor.run(
        dir.resolve("main.x"), "con\\\nst A = 1\\\n0;\nconst B = 2;\n").text().split("\n", -1)).subList(0, 4));
    assertEquals("", diagnostics.format());
  }

  /**
   * cpp joins a backslash-newline before it sees comments, so a '//' comment that ends in a
   * backslash takes the next line in too (twice over, for two), in RPCL as in a directive; a
   * backslash in a block comment or a string does not start one.
   */
  @Test
  void aLineCommentEndingInABackslashTakesTheNextLine() {
    Preprocessor preprocessor = new Preprocessor(List.of(),
        Preprocessor.predefined(Map.of(), List.of()), path -> "main.x", diagnostics);
    String[] lines = preprocessor.run(dir.resolve("main.x"), """
        const A = 1; // comment \\
        const B = 2;
        // two \\
        const C = 3; \\
        const D = 4;
        const E = 5; /* // */ \\
        const F = 6;
        const G = "//"; \\
        const H = 7;
        const I = 8;
        """).text().split("\n", -1);
    assertEquals(List.of("const A = 1;", "", "", "", "", "const E = 5;", "const F = 6;", "const G = \"//\";",
        "const H = 7;", "const I = 8;"), Arrays.stream(lines).limit(10)
        .map(line -> line.contains("\"") ? line.strip() : line.replaceAll("//.*|/\\*.*\\*/", "").strip()).toList());
    assertEquals("", diagnostics.format());
  }

  /**
   * cpp reads any file that is not a directory: '/dev/null' is an empty one. A directory is not
   * found ("No such file or directory"), and a device without end is cut off, not read whole.
   */
  @Test
  void anIncludedDeviceIsReadAndADirectoryIsNotFound() throws Exception {
    java.nio.file.Files.createDirectory(dir.resolve("sub"));
    assertEquals("const A = 1;", run("#include \"/dev/null\"\nconst A = 1;\n"));
    assertEquals("", diagnostics.format());
    run("#include \"sub\"\n#include \"/dev/zero\"\n");
    assertEquals("main.x:1:2: error: cannot find include file 'sub' (searched: main.x, main.x, main.x; " + Preprocessor.INCLUDE_DIRECTORY_HINT + ")\n"
        + "main.x:2:2: error: cannot read include file '/dev/zero': not a source file: more than 16777216 bytes\n",
        diagnostics.format());
  }

  /** A NUL character is a blank to gcc's cpp, with a warning for each line that has any. */
  @Test
  void nulCharactersAreBlanksWithAWarning() {
    assertEquals("co nst A = 1; const B = 2; const C = 3;",
        run("co\0nst A = 1;\nconst B\0= 2;\0\0\n#define X\0 3\nconst C = X;\n").replaceAll(" +", " "));
    assertEquals("""
        main.x:1:3: warning: null character(s) ignored
        main.x:2:8: warning: null character(s) ignored
        main.x:3:10: warning: null character(s) ignored
        """, diagnostics.format());
  }

  /**
   * A name left in an argument's expansion because it was being replaced (a self-referential
   * macro) is never replaced again, also after the argument takes its parameter's place, as cpp
   * paints it; a function-like name without '(' may still be called by the body.
   */
  @Test
  void aNameLeftInAnArgumentIsNotReplacedAgain() {
    assertEquals("A B f(3) + 1 \"A B\" 3 A B A1 A B", run("""
        #define A A B
        #define ID(x) x
        #define f(x) f(x) + 1
        #define STR(x) #x
        #define XSTR(x) STR(x)
        #define APPLY(g, x) g(x)
        #define CAT(a, b) a##b
        ID(A) ID(f(3)) XSTR(A) APPLY(ID, 3) ID(ID(A)) CAT(A, 1) ID(CAT(A,))
        """));
    assertEquals("", diagnostics.format());
  }

  /** cpp prints #error's and #warning's text with blanks collapsed, but in literals. */
  @Test
  void errorAndWarningTextsHaveBlanksCollapsedAsCppPrintsThem() {
    run("#error  a\t\tb \"x   y\"  '  '   c /* co */ d\n#warning careful  now\n");
    assertEquals("""
        main.x:1:2: error: #error a b "x   y" '  ' c d
        main.x:2:2: warning: #warning careful now
        """, diagnostics.format());
  }
}
