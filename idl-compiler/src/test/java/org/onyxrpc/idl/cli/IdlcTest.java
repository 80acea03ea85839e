package org.onyxrpc.idl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdlcTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Idlc.run(args, dir, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpExplainsUsage() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith(
        "Usage: idlc [-o OUT] [-I DIR]... [-D NAME[=VALUE]]... [-U NAME]... [--prelude FILE]... FILE..."));
  }

  @Test
  void writesSourcesForFilesAndImports() throws Exception {
    Files.createDirectories(dir.resolve("inc"));
    Files.writeString(dir.resolve("inc/common.idl"), "package p.common; struct Note { string text<>; };");
    Files.writeString(dir.resolve("main.idl"),
        "package p; import \"common.idl\"; struct Memo { Note note; }; const N = 1;");
    assertEquals(0, run("-o", "gen", "-I", "inc", "main.idl"), err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.isRegularFile(dir.resolve("gen/p/Memo.java")));
    assertTrue(Files.isRegularFile(dir.resolve("gen/p/MainConstants.java")));
    assertTrue(Files.isRegularFile(dir.resolve("gen/p/common/Note.java")));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  /**
   * An empty file, or one of comments only (or a .x whose #ifdefs leave nothing), compiled
   * silently with exit 0 and wrote nothing, leaving the user to wonder where the Java went.
   */
  @Test
  void warnsWhenTheFilesDeclareNothing() throws Exception {
    Files.writeString(dir.resolve("empty.idl"), "");
    Files.writeString(dir.resolve("comments.x"), "/* only a comment */\r\n// and another\r\n");
    assertEquals(0, run("-o", "gen", "empty.idl", "comments.x"));
    assertEquals("idlc: warning: empty.idl, comments.x: nothing declared, so no Java written\n",
        err.toString(StandardCharsets.UTF_8));
    assertTrue(!Files.exists(dir.resolve("gen")));
  }

  /**
   * -I is cpp's: written apart or joined ('-Iinc2'), searched in the order given, for '#include
   * <…>' and, after the including file's directory, '#include "…"'. (rpcgen's -I is inetd
   * support and names no directory.)
   */
  @Test
  void includeDirectoriesAreSearchedInOrderAsCppSearchesThem() throws Exception {
    for (String name : new String[] {"inc1", "inc2"}) {
      Files.createDirectories(dir.resolve(name));
      Files.writeString(dir.resolve(name + "/h.x"), "const FROM_" + name.toUpperCase() + " = 1;\n");
    }
    Files.writeString(dir.resolve("a.x"), "#include <h.x>\nconst A = 1;\n");
    Files.writeString(dir.resolve("b.x"), "#include \"h.x\"\nconst B = 1;\n");
    assertEquals(0, run("-o", "one", "-I", "inc1", "-I", "inc2", "a.x"), err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.readString(dir.resolve("one/AConstants.java")).contains("FROM_INC1"));
    assertEquals(0, run("-o", "two", "-Iinc2", "-Iinc1", "b.x"), err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.readString(dir.resolve("two/BConstants.java")).contains("FROM_INC2"));
    assertTrue(!Files.readString(dir.resolve("two/BConstants.java")).contains("FROM_INC1"));
  }

  /** A mistyped -I was silent: the file compiled, or an import was missing with no word why. */
  @Test
  void warnsOfAnIncludeDirectoryThatIsNotOne() throws Exception {
    Files.writeString(dir.resolve("main.idl"), "package p; struct Memo { int n; };");
    Files.writeString(dir.resolve("file.txt"), "");
    assertEquals(0, run("-o", "gen", "-I", "nosuch", "-I", "file.txt", "main.idl"));
    assertEquals("idlc: warning: -I nosuch: no such directory\n"
        + "idlc: warning: -I file.txt: not a directory\n", err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.isRegularFile(dir.resolve("gen/p/Memo.java")));
  }

  @Test
  void anRpcgenFileIncludedAfterAPackageIsGeneratedIntoIt() throws Exception {
    // .x files have no package; a one-line .idl that includes one gives its types a Java package.
    Files.createDirectories(dir.resolve("x"));
    Files.writeString(dir.resolve("x/notes.x"), "struct note { string text<>; };\n"
        + "program NOTES_PROG { version NOTES_V1 { int COUNT(void) = 1; } = 1; } = 0x20005555;\n");
    Files.writeString(dir.resolve("notes.idl"), "package com.example.notes;\n#include <notes.x>\n");
    assertEquals(0, run("-o", "gen", "-I", "x", "notes.idl"), err.toString(StandardCharsets.UTF_8));
    for (String type : new String[] {"Note", "NotesProgV1"}) {
      assertTrue(Files.readString(dir.resolve("gen/com/example/notes/" + type + ".java"))
          .contains("package com.example.notes;"), type);
    }
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aRootThatAnotherRootIncludesIsCompiledThroughItOnly() throws Exception {
    // rpcgen's layout: user.x includes common.x, and both lie in the directory compiled (as the
    // Maven plugin compiles every file of src/main/idl). Compiled on its own too, each of
    // common.x's names was declared twice.
    Files.writeString(dir.resolve("common.x"), "struct common_t { int a; };\n");
    Files.writeString(dir.resolve("user.x"), "#include \"common.x\"\nstruct user_t { common_t c; };\n");
    assertEquals(0, run("-o", "gen", "common.x", "user.x"), err.toString(StandardCharsets.UTF_8));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.isRegularFile(dir.resolve("gen/CommonT.java")));
    assertTrue(Files.isRegularFile(dir.resolve("gen/UserT.java")));
    // Alone, the included file is compiled as any other.
    assertEquals(0, run("-o", "gen-common", "common.x"), err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.isRegularFile(dir.resolve("gen-common/CommonT.java")));
  }

  /**
   * glibc's nis_callback.x takes nis.x through '%#include <rpcsvc/nis.h>', and nis.x includes
   * nis_object.x: given nis_callback.x and nis_object.x, nis_object.x is compiled through nis.x
   * only. Before, it was compiled on its own too, and each of its names was declared twice.
   */
  @Test
  void aRootThatAnImportedHeaderSourceIncludesIsCompiledThroughItOnly() throws Exception {
    Files.writeString(dir.resolve("common.x"), "struct common_t { int a; };\n");
    Files.writeString(dir.resolve("lib.x"), "#include \"common.x\"\nstruct lib_t { common_t c; };\n");
    Files.writeString(dir.resolve("app.x"), "%#include \"lib.h\"\nstruct app_t { lib_t l; common_t c; };\n");
    assertEquals(0, run("-o", "gen", "common.x", "app.x"), err.toString(StandardCharsets.UTF_8));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    for (String type : new String[] {"CommonT", "LibT", "AppT"}) {
      assertTrue(Files.isRegularFile(dir.resolve("gen/" + type + ".java")), type);
    }
  }

  /**
   * As a shell runs it: the files named without a directory, in the working directory. Before,
   * the look for the roots that others include did not search beside such a file (its relative
   * path has no parent), so {@code idlc nis_object.x nis.x} compiled nis_object.x twice: "type
   * 'nis_object' is declared in nis_object.x, which nis.x does not import", and duplicates.
   */
  @Test
  void aRootThatAnotherRootIncludesIsCompiledThroughItOnlyWhenNamedWithoutADirectory()
      throws Exception {
    String prefix = "idlc-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";
    Path common = Path.of(prefix + "common.x");
    Path user = Path.of(prefix + "user.x");
    try {
      Files.writeString(common, "struct common_t { int a; };\n");
      Files.writeString(user, "#include \"" + common + "\"\nstruct user_t { common_t c; };\n");
      assertEquals(0, Idlc.run(new String[] {"-o", dir.resolve("gen").toString(), common.toString(),
          user.toString()}, Path.of(""), new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
      assertEquals("", err.toString(StandardCharsets.UTF_8));
      assertTrue(Files.isRegularFile(dir.resolve("gen/CommonT.java")));
      assertTrue(Files.isRegularFile(dir.resolve("gen/UserT.java")));
    } finally {
      Files.deleteIfExists(common);
      Files.deleteIfExists(user);
    }
  }

  @Test
  void reportsAllErrorsWithoutStackTraceAndFails() throws Exception {
    Files.writeString(dir.resolve("bad.idl"), "struct A { Bb b; };\nstruct A { int x<-1>; };\n");
    assertEquals(1, run("bad.idl"));
    assertEquals("""
        bad.idl:1:12: error: unknown type 'Bb'
          in struct A (bad.idl:1:8)
        bad.idl:2:8: error: duplicate name 'A': declared again as another struct than at bad.idl:1:8
        bad.idl:2:18: error: bound must not be negative: -1
          in struct A (bad.idl:2:8)
        """, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void missingFileIsAnIoErrorWithItsReason() {
    assertEquals(2, run("nope.idl"));
    assertEquals("idlc: cannot read nope.idl: no such file\n", err.toString(StandardCharsets.UTF_8));
  }

  /** A missing --prelude read as a missing input file, which the command line may not have. */
  @Test
  void aMissingPreludeIsNamedAsThePrelude() {
    assertEquals(2, run("--prelude", "nope.x", "main.x"));
    assertEquals("idlc: cannot read prelude nope.x: no such file\n", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aMistypedCommandIsNamedBesideTheMissingFile() {
    assertEquals(2, run("chek-compat", "old.idl", "new.idl"));
    assertEquals("idlc: cannot read chek-compat: no such file (did you mean the command 'check-compat'?)\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anOutputThatCannotBeWrittenIsSaidWhy() throws Exception {
    Files.writeString(dir.resolve("p.idl"), "struct Point { int x; };"); // no package: in gen itself
    Files.writeString(dir.resolve("gen"), "a file, where the output's directory would go");
    assertEquals(2, run("-o", "gen", "p.idl"));
    assertEquals("idlc: cannot write output: gen: a file where a directory is needed\n",
        err.toString(StandardCharsets.UTF_8));
  }

  /** Before: "idlc: cannot write output: gen/p: Not a directory", the OS's words for a path that is not there. */
  @Test
  void aFileInThePlaceOfTheOutputDirectoryIsNamedWhateverThePackage() throws Exception {
    Files.writeString(dir.resolve("p.idl"), "package p.q; struct Point { int x; };");
    Files.writeString(dir.resolve("gen"), "a file, where the output's directory would go");
    assertEquals(2, run("-o", "gen", "p.idl"));
    assertEquals("idlc: cannot write output: gen: a file where a directory is needed\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aDirectoryGivenAsAFileIsSaidToBeOne() throws Exception {
    Files.createDirectories(dir.resolve("idl"));
    assertEquals(2, run("idl"));
    assertEquals("idlc: cannot read idl: a directory (name the .idl, .x and .rpcl files in it)\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theCurrentDirectoryGivenAsAFileIsNamedDot() {
    // "idlc ." once said "cannot read : a directory", the name relativized to nothing.
    assertEquals(2, run("."));
    assertEquals("idlc: cannot read .: a directory (name the .idl, .x and .rpcl files in it)\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aDirectoryGivenToTheCompilerIsSaidToBeOne() throws Exception {
    // What onyx describe --idl and the Maven plugin's callers reach without idlc's check first.
    Files.createDirectories(dir.resolve("idl"));
    org.onyxrpc.idl.IdlCompiler.Result result = org.onyxrpc.idl.IdlCompiler.compile(dir, java.util.List.of(),
        java.util.List.of(dir.resolve("idl")));
    assertEquals("idl:1:1: error: cannot read file: a directory, not a file\n", result.diagnostics().format());
  }

  @Test
  void aMissingFileOutsideTheWorkingDirectoryIsShownAsTyped() {
    Path elsewhere = dir.getParent().resolve("elsewhere-" + dir.getFileName() + ".idl").toAbsolutePath();
    assertEquals(2, run(elsewhere.toString()));
    assertEquals("idlc: cannot read " + elsewhere + ": no such file\n", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void usageErrorsPrintOneLineAndTheHint() {
    assertEquals(2, run("--frobnicate"));
    assertEquals(2, run());
    assertEquals(2, run("-o"));
    assertEquals(2, run("-D", "1X", "a.x"));
    assertEquals("""
        idlc: Unknown option: '--frobnicate'
        Try 'idlc --help' for more information.
        idlc: no input files
        Try 'idlc --help' for more information.
        idlc: Missing required parameter for option '--output' (DIR)
        Try 'idlc --help' for more information.
        idlc: '1X' is not a macro name
        Try 'idlc --help' for more information.
        """, err.toString(StandardCharsets.UTF_8));
  }

  /** A build's rpcgen command line copied onto idlc: the rpcgen options are named, with why they go. */
  @Test
  void rpcgensOwnOptionsAreNamedWithWhyTheyCanGo() {
    assertEquals(2, run("-N", "-C", "-M", "-o", "gen", "a.x"));
    assertEquals(2, run("-NC", "a.x"));
    assertEquals("""
        idlc: Unknown options: '-N', '-C', '-M'
        idlc: -N: rpcgen's newstyle (several arguments per procedure), which idlc always reads: leave it out
        idlc: -C, -M: rpcgen's options for the C it writes; idlc writes Java the same whatever they are: leave them out
        Try 'idlc --help' for more information.
        idlc: Unknown option: '-NC'
        idlc: -NC: rpcgen's newstyle (several arguments per procedure), which idlc always reads: leave it out
        Try 'idlc --help' for more information.
        """, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void versionIsThePomVersion() {
    assertEquals(0, run("--version"));
    assertTrue(out.toString(StandardCharsets.UTF_8).matches("idlc \\d+\\.\\d+\\.\\d+.*\n"),
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void definesUndefinesAndPreludes() throws Exception {
    Files.writeString(dir.resolve("prelude.x"), "typedef string name_t<LIMIT>;\n");
    Files.writeString(dir.resolve("main.x"), """
        #if defined(WIDE) && WIDE > 1 && !defined(RPC_CLNT)
        struct wide { name_t who; hyper size; };
        #else
        struct narrow { name_t who; };
        #endif
        """);
    assertEquals(0, run("-o", "gen", "-DLIMIT=16", "-D", "WIDE=2", "-URPC_CLNT", "--prelude",
        "prelude.x", "main.x"), err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.isRegularFile(dir.resolve("gen/Wide.java")));
    assertTrue(Files.readString(dir.resolve("gen/Wide.java")).contains("writeString(value.who(), 16)"),
        Files.readString(dir.resolve("gen/Wide.java")));

    assertEquals(0, run("-o", "gen2", "-DLIMIT", "--prelude", "prelude.x", "main.x"),
        err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.isRegularFile(dir.resolve("gen2/Narrow.java")));
  }
  /** As cpp's, -D takes a function-like macro and an empty value, and -U a name never defined. */
  @Test
  void definesMayBeFunctionLikeOrEmptyAndUndefinesOfUnknownNamesAreSilent() throws Exception {
    Files.writeString(dir.resolve("main.x"), "struct s { int a[F(3)]; int b[E 4]; };\n");
    assertEquals(0, run("-o", "gen", "-D", "F(x)=x", "-DE=", "-U", "NEVER", "main.x"),
        err.toString(StandardCharsets.UTF_8));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.readString(dir.resolve("gen/S.java")).contains("checkFixedArray(items.length, 3)"),
        Files.readString(dir.resolve("gen/S.java")));
    assertEquals(2, run("-D", "F(x=x", "main.x"));
  }
}
