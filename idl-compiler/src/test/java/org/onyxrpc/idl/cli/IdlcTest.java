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
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: idlc [-o OUT] [-I DIR]... FILE..."));
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

  @Test
  void reportsAllErrorsWithoutStackTraceAndFails() throws Exception {
    Files.writeString(dir.resolve("bad.idl"), "struct A { Bb b; };\nstruct A { int x<-1>; };\n");
    assertEquals(1, run("bad.idl"));
    assertEquals("""
        bad.idl:1:12: error: unknown type 'Bb'
          in struct A (bad.idl:1:8)
        bad.idl:2:8: error: duplicate name 'A' (first declared as struct at bad.idl:1:8)
        bad.idl:2:18: error: bound must not be negative: -1
          in struct A (bad.idl:2:8)
        """, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void missingFileAndBadOptions() {
    assertEquals(1, run("nope.idl"));
    assertEquals("nope.idl:1:1: error: cannot read file\n", err.toString(StandardCharsets.UTF_8));
    assertEquals(2, run("--frobnicate"));
    assertEquals(2, run());
    assertEquals(2, run("-o"));
  }
}
