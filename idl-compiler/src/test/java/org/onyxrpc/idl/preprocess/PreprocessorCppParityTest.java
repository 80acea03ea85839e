package org.onyxrpc.idl.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
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
    Preprocessor preprocessor = new Preprocessor(List.of(),
        Preprocessor.predefined(Map.of(), List.of()), path -> "main.x", diagnostics);
    return preprocessor.run(dir.resolve("main.x"), text).text().replaceAll("\n+", " ").strip();
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
}
