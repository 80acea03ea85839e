package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names real .x files use that are hostile to Java but legal RPCL (rpcgen compiles each file
 * here): the Java compiles, and where two names would be one Java class, or one file on a
 * case-insensitive file system, the second gets a numbered name and a warning that says so.
 */
class HostileNamesTest {
  @TempDir Path temp;

  private Map<String, String> compile(String name, String text, String expectedDiagnostics)
      throws IOException {
    Path file = temp.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    IdlCompiler.Result result = IdlCompiler.compile(temp, List.of(), List.of(file));
    assertTrue(result.succeeded(), result.diagnostics().format());
    assertEquals(expectedDiagnostics, result.diagnostics().format());
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(source -> sources.put(source.path(), source.content()));
    JavaSources.compile(sources, temp.resolve("java"));
    return sources;
  }

  /**
   * FooBar.java and Foobar.java are one file on macOS's and Windows's file systems, where one
   * overwrote the other; and a numbered name took the name of a type declared later ('AB' took
   * Ab2, and 'Ab2' became Ab22).
   */
  @Test
  void classesThatDifferOnlyInCaseAreNumberedAndANumberedNameTakesNoTypesName() throws IOException {
    Map<String, String> sources = compile("ci.x", """
        struct foo_bar { int x; };
        struct Foobar { int y; };
        struct ab { int z; };
        struct AB { int w; };
        struct Ab2 { int v; };
        """, """
        ci.x:2:8: warning: type 'Foobar' and 'foo_bar' map to Java names 'Foobar' and 'FooBar', one file on a case-insensitive file system; this one gets a numbered name
        ci.x:4:8: warning: type 'AB' and 'ab' both map to Java name 'Ab'; this one gets a numbered name
        """);
    assertEquals(List.of("Ab.java", "Ab2.java", "Ab3.java", "FooBar.java", "Foobar2.java"),
        List.copyOf(sources.keySet()));
    assertTrue(sources.get("Ab2.java").contains("record Ab2(int v)"), sources.get("Ab2.java"));
    assertTrue(sources.get("Ab3.java").contains("record Ab3(int w)"), sources.get("Ab3.java"));
  }

  /** Java keywords, contextual keywords and java.lang names as types, fields, constants and procedures. */
  @Test
  void keywordsAndJavaLangNamesCompile() throws IOException {
    compile("hostile.x", """
        const String = 1;
        const Object = 2;
        const record = 3;
        const _ = 4;
        const __x = 5;
        const codec = 8;
        struct Integer { int class; int String; int var; int yield; int sealed; int record; int _; int __y; int Override; };
        struct Override { Integer String; int Object; };
        typedef int var;
        typedef int yield;
        enum sealed { permits = 1, non_sealed = 2 };
        struct Program { int a; };
        struct Codec { int CODEC; int hashCode; int toString; };
        program Program_ { version V { Integer get(Override) = 1; var hashCode(yield) = 2; int equals(int) = 3; } = 1; } = 0x20000123;
        """, "");
  }

  /**
   * RPCL sets no limit on a name's length, but a file system takes 255 bytes a file name: a type
   * whose class file would be longer is an error at its name, not a failed write with no place.
   */
  @Test
  void aNameTooLongForAClassFileIsAnErrorAtTheName() throws IOException {
    String name = "n".repeat(249);
    Path file = temp.resolve("long.x");
    Files.writeString(file, "struct " + "m".repeat(247) + " { int x; };\n"
        + "struct " + name + " { int x; };\n"
        + "program " + "P".repeat(240) + " { version V { int f(int) = 1; } = 1; } = 0x20000556;\n",
        StandardCharsets.UTF_8);
    IdlCompiler.Result result = IdlCompiler.compile(temp, List.of(), List.of(file));
    assertEquals("""
        long.x:2:8: error: type name 'nnnnnnnnnnnnnnnnnnnn…nnnnnnnnnnnnnnnn' (249 characters) makes Java class file 'Nnnnnnnnnnnnnnnnnnnn…nnnnnnnn$1.class' of 257 bytes, more than the 255 a file system takes; shorten the name
        long.x:3:9: error: program name 'PPPPPPPPPPPPPPPPPPPP…PPPPPPPPPPPPPPPP' (240 characters) makes Java class file 'Pppppppppppppppppppp…ImplBase$1.class' of 504 bytes, more than the 255 a file system takes; shorten the name
        """, result.diagnostics().format());
  }

  /**
   * The constants class is named after the file: a file name long enough for its class file to
   * pass 255 bytes is an error at the first constant, not a failed write with no place.
   */
  @Test
  void aFileNameTooLongForItsConstantsClassIsAnErrorAtTheFirstConstant() throws IOException {
    Path file = temp.resolve("c".repeat(240) + ".x");
    Files.writeString(file, "struct s { int x; };\nconst N = 3;\n", StandardCharsets.UTF_8);
    IdlCompiler.Result result = IdlCompiler.compile(temp, List.of(), List.of(file));
    assertEquals("c".repeat(240) + ".x:2:7: error: file name 'cccccccccccccccccccc…cccccccccccccc.x' (242"
        + " characters) makes Java class file 'Cccccccccccccccccccc…onstants$1.class' of 257 bytes,"
        + " more than the 255 a file system takes; shorten the name\n", result.diagnostics().format());
  }
}
