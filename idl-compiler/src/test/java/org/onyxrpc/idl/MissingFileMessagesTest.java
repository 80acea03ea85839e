package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that is not found is reported with each directory searched once. The Maven plugin puts
 * the source directory on the import path, so an import from a file in it said
 * "(searched: src/main/idl, src/main/idl)".
 */
class MissingFileMessagesTest {
  @TempDir Path dir;

  @Test
  void anImportNamesEachDirectoryOnce() throws Exception {
    Path idl = Files.createDirectories(dir.resolve("src/main/idl"));
    Files.writeString(idl.resolve("a.idl"), "package p;\nimport \"nope.idl\";\n");
    IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(idl), List.of(idl.resolve("a.idl")));
    assertEquals("src/main/idl/a.idl:2:8: error: cannot find import 'nope.idl' (searched: src/main/idl;"
        + " add a directory with -I)",
        result.diagnostics().sorted().get(0).format());
  }

  @Test
  void anIncludeNamesEachDirectoryOnce() throws Exception {
    Path idl = Files.createDirectories(dir.resolve("src/main/idl"));
    Files.writeString(idl.resolve("a.idl"), "package p;\n#include \"nope.h\"\n");
    IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(idl), List.of(idl.resolve("a.idl")));
    assertEquals("src/main/idl/a.idl:2:2: error: cannot find include file 'nope.h' (searched: src/main/idl,"
        + " /usr/local/include, /usr/include; add a directory with -I)", result.diagnostics().sorted().get(0).format());
  }

  /**
   * A missing include is the cause of the names it would have declared being unknown: it is told
   * alone, as cc stops there, whether it comes after their use or from a file included. Before,
   * 'unknown type' errors came first whenever their file sorted first.
   */
  @Test
  void aMissingIncludeIsToldWithoutTheNamesItWouldDeclare() throws Exception {
    Files.writeString(dir.resolve("main.x"), "#include \"z.x\"\nstruct S {\n  foo_t a;\n};\n");
    Files.writeString(dir.resolve("z.x"), "#include \"missing.x\"\nconst Z = 1;\n");
    Files.writeString(dir.resolve("late.x"), "struct L {\n  bar_t b;\n};\n#include \"missing.x\"\n");
    IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(),
        List.of(dir.resolve("main.x"), dir.resolve("late.x")));
    assertEquals("""
        late.x:4:2: error: cannot find include file 'missing.x' (searched: ., /usr/local/include,\
         /usr/include; add a directory with -I)
        z.x:1:2: error: cannot find include file 'missing.x' (searched: ., /usr/local/include,\
         /usr/include; add a directory with -I)
        """, result.diagnostics().format());
  }
}
