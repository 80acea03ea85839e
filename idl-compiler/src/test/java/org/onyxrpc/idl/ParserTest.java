package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;

/** The language, seen through the linked schema. */
class ParserTest {
  @TempDir Path dir;

  private Schema compile(String text) throws Exception {
    Files.writeString(dir.resolve("t.idl"), text);
    IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(), List.of(dir.resolve("t.idl")));
    assertTrue(result.succeeded(), result.diagnostics().format());
    return result.schema().orElseThrow();
  }

  /**
   * 4,000 nested parentheses overflowed the parser's stack: idlc printed a StackOverflowError's
   * trace. Now one error at the bracket too deep; 256 levels still compile.
   */
  @Test
  void bracketsNestedBeyondALimitAreAnErrorNotAStackOverflow() throws Exception {
    int deep = 100_000;
    Files.writeString(dir.resolve("deep.idl"), "const X = " + "(".repeat(deep) + "1" + ")".repeat(deep) + ";\n");
    IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(), List.of(dir.resolve("deep.idl")));
    assertEquals("deep.idl:1:267: error: '(' nested more than 256 deep, deeper than idlc reads",
        result.diagnostics().format().lines().findFirst().orElseThrow());
    assertEquals(1, result.diagnostics().sorted().size());
    assertEquals(1, compile("const X = " + "(".repeat(256) + "1" + ")".repeat(256) + ";")
        .files().get(0).constants().get(0).value().intValueExact());
  }

  /**
   * What recurses as deep as the text without brackets (an #if of 100,000 parentheses, which the
   * preprocessor reads) overflowed the stack too: now one error, at the #if.
   */
  @Test
  void expressionsTooDeepForTheStackAreAnErrorNotAStackOverflow() throws Exception {
    int deep = 100_000;
    String[] texts = {
      "#if " + "(".repeat(deep) + "1" + ")".repeat(deep) + "\nconst X = 1;\n#endif\n",
    };
    for (String text : texts) {
      Files.writeString(dir.resolve("deep.idl"), text);
      IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(), List.of(dir.resolve("deep.idl")));
      assertEquals("deep.idl:1:2: error: nested too deeply for idlc to read (macros that expand to one"
          + " another thousands deep, or an #if of thousands of brackets)\n",
          result.diagnostics().format(), text.substring(0, 20));
    }
  }

  /**
   * An expression of 2,000 operators (an array's size, which rpcgen copies to C as it is)
   * overflowed the stack after parsing, and idlc printed a StackOverflowError's trace; 100,000
   * said "nested too deeply" at 1:1, as did 100,000 minus signs. Now one error at the operator too
   * many; 1,000 still compile.
   */
  @Test
  void expressionsOfTooManyOperatorsAreAnErrorWhereTheyAre() throws Exception {
    for (int terms : new int[] {2_000, 100_000}) {
      String sum = String.join("+", java.util.Collections.nCopies(terms, "1"));
      Files.writeString(dir.resolve("long.idl"), "const A = 1;\ntypedef int arr[  " + sum + "];\n");
      IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(), List.of(dir.resolve("long.idl")));
      assertEquals("long.idl:2:2020: error: an expression of more than 1000 operators, more than idlc reads",
          result.diagnostics().format().lines().findFirst().orElseThrow());
      assertEquals(1, result.diagnostics().sorted().size());
    }
    Files.writeString(dir.resolve("long.idl"), "const X = " + "- ".repeat(100_000) + "1;\n");
    assertEquals("long.idl:1:2011: error: an expression of more than 1000 operators, more than idlc reads",
        IdlCompiler.compile(dir, List.of(), List.of(dir.resolve("long.idl"))).diagnostics().format()
            .lines().findFirst().orElseThrow());
    String sum = String.join("+", java.util.Collections.nCopies(1_001, "1"));
    assertEquals(1_001, compile("const A = " + sum + ";\nconst B = " + sum
        + ";\ntypedef int arr[" + sum + "];").files().get(0).constants().get(1).value().intValueExact());
  }

  /**
   * A chain of 100,000 macros, each expanding to the next (cpp reads it), overflowed the stack
   * and was told at 1:1: now at the line that uses it.
   */
  @Test
  void macrosTooDeepForTheStackAreAnErrorAtTheLineThatUsesThem() throws Exception {
    StringBuilder text = new StringBuilder("const A = 1;\n");
    for (int i = 0; i < 100_000; i++) {
      text.append("#define M").append(i).append(" M").append(i + 1).append('\n');
    }
    text.append("const B = M0;\n");
    Files.writeString(dir.resolve("chain.idl"), text);
    IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(), List.of(dir.resolve("chain.idl")));
    assertEquals("chain.idl:100002:1: error: nested too deeply for idlc to read (macros that expand to one"
        + " another thousands deep, or an #if of thousands of brackets)",
        result.diagnostics().format().lines().findFirst().orElseThrow());
  }

  @Test
  void constantExpressionsInAllNotations() throws Exception {
    Schema schema = compile("""
        const DEC = 42; const HEX = 0x2A; const OCT = 052; const NEG = -42;
        const EXPR = (DEC + HEX) * 2 - (OCT << 1) / 2 | 1 ^ 0 & ~0;
        const UNSIGNED_MAX = 0xFFFFFFFF;
        """);
    List<Long> values = schema.files().get(0).constants().stream().map(c -> c.value().longValueExact()).toList();
    assertEquals(List.of(42L, 42L, 42L, -42L, (42L + 42) * 2 - (42 << 1) / 2 | 1 ^ 0 & ~0, 4294967295L),
        values);
  }

  @Test
  void docCommentsAnnotationsAndNumbers() throws Exception {
    Schema schema = compile("""
        /** A point.
         *  Two lines. */
        struct Point { /** Across. */ int x; int y; };
        enum E { A, B, C = 10, D };
        @program(0x20000001) @owner("team")
        service S {
          /** First. */
          version 1 {
            /** Adds. */ @idempotent int add(int a, int b) = 1;
            oneway void log(string line<>) = 2;
          }
        }
        """);
    TypeDecl.StructType point = (TypeDecl.StructType) schema.type("Point");
    assertEquals("A point.\nTwo lines.", point.doc());
    assertEquals("Across.", point.fields().get(0).doc());
    TypeDecl.EnumType e = (TypeDecl.EnumType) schema.type("E");
    assertEquals(List.of(0, 1, 10, 11), e.constants().stream().map(c -> c.value()).toList());
    Service service = schema.files().get(0).services().get(0);
    assertEquals(0x20000001, service.program());
    assertEquals("owner", service.annotations().get(1).name());
    assertEquals("team", service.annotations().get(1).text());
    Service.Version version = service.versions().get(0);
    assertEquals("First.", version.doc());
    Service.Procedure add = version.procedures().get(0);
    assertEquals("Adds.", add.doc());
    assertTrue(add.has("idempotent"));
    assertEquals(List.of("a", "b"), add.parameters().stream().map(p -> p.name()).toList());
    assertTrue(version.procedures().get(1).oneway());
  }

  @Test
  void typedefsAreResolvedAndRpclKeywordsStayNames() throws Exception {
    Schema schema = compile("""
        typedef string name<8>;
        typedef name names<>;
        typedef struct node *list;
        struct node { int service; int package; list next; names all; };
        program P { version V { list GET(name, int) = 1; } = 1; } = 0x20000002;
        """);
    TypeDecl.StructType node = (TypeDecl.StructType) schema.type("node");
    assertEquals(new Type.Optional(new Type.Defined("node")), node.fields().get(2).type());
    assertEquals(new Type.Array(new Type.StringType(8), Type.UNBOUNDED, false),
        node.fields().get(3).type());
    Service.Procedure get = schema.files().get(0).services().get(0).versions().get(0).procedures().get(0);
    assertEquals(List.of("arg1", "arg2"), get.parameters().stream().map(p -> p.name()).toList());
  }

  /**
   * rpcgen runs its input through cpp, for which a vertical tab (0x0B) is whitespace, as a form
   * feed is; idlc reported "unexpected character U+000B" for a file rpcgen compiles.
   */
  @Test
  void verticalTabAndFormFeedAreWhitespace() throws Exception {
    Schema schema = compile("const\u000bN = 3;\n\u000bstruct s {\u000bint a[N];\f};\u000b\n");
    assertEquals(3, schema.files().get(0).constants().get(0).value().intValueExact());
    assertEquals("s", schema.files().get(0).types().get(0).name());
  }
}
