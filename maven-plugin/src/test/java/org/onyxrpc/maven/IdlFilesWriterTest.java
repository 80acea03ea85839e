package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.fromjava.JavaToIdl;

/** from-java's output: changed files only, its own stale files removed, others' never. */
class IdlFilesWriterTest {
  @TempDir Path root;

  private static JavaToIdl.IdlFile idl(String path, String body) {
    return new JavaToIdl.IdlFile(path, JavaToIdl.HEADER + " from X.java\n" + body);
  }

  @Test
  void writesChangedFilesAndRemovesItsOwnStaleOnes() throws Exception {
    Files.createDirectories(root.resolve("hand"));
    Files.writeString(root.resolve("hand/written.idl"), "struct Kept { int x; };\n");
    assertEquals(new IdlFilesWriter.Outcome(2, 0), IdlFilesWriter.write(root,
        List.of(idl("a/a.idl", "struct A { int x; };\n"), idl("b/b.idl", "struct B { int x; };\n"))));
    assertEquals(new IdlFilesWriter.Outcome(0, 0), IdlFilesWriter.write(root,
        List.of(idl("a/a.idl", "struct A { int x; };\n"), idl("b/b.idl", "struct B { int x; };\n"))));
    assertEquals(new IdlFilesWriter.Outcome(1, 1), IdlFilesWriter.write(root,
        List.of(idl("a/a.idl", "struct A { hyper x; };\n"))));
    assertFalse(Files.exists(root.resolve("b/b.idl")));
    assertTrue(Files.readString(root.resolve("a/a.idl")).endsWith("struct A { hyper x; };\n"));
    assertTrue(Files.exists(root.resolve("hand/written.idl")));
  }
}
