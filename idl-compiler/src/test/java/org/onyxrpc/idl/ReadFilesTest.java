package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.source.CompilerOptions;

/**
 * The result names every file the run read, so a build tool can tell when to compile again: the
 * Maven plugin hashed only the {@code .idl} and {@code .x} files it listed, and an edited
 * {@code #include}d {@code .h} left the old Java in place.
 */
class ReadFilesTest {
  @TempDir Path dir;

  @Test
  void rootsImportsIncludesAndPreludesAreAllNamed() throws Exception {
    Path headers = Files.createDirectories(dir.resolve("headers"));
    Files.writeString(headers.resolve("limits.h"), "const LIMIT = 5;\n");
    Files.writeString(dir.resolve("beside.h"), "const NEAR = 1;\n");
    Files.writeString(dir.resolve("prelude.x"), "typedef int count_t;\n");
    Files.writeString(dir.resolve("common.idl"), "package p;\nstruct Name { count_t n; };\n");
    Path root = dir.resolve("main.idl");
    Files.writeString(root, "package p;\nimport \"common.idl\";\n#include <limits.h>\n#include \"beside.h\"\n"
        + "struct Tagged { Name name; };\n");

    IdlCompiler.Result result = IdlCompiler.compile(dir,
        new CompilerOptions(List.of(headers), Map.of(), List.of(), List.of(dir.resolve("prelude.x"))), List.of(root));
    assertTrue(result.succeeded(), result.diagnostics().format());
    Path real = dir.toAbsolutePath().normalize();
    assertEquals(List.of(real.resolve("beside.h"), real.resolve("common.idl"), real.resolve("headers/limits.h"),
        real.resolve("main.idl"), real.resolve("prelude.x")), result.read());
  }
}
