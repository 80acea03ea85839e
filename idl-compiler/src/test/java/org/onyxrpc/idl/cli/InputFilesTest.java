package org.onyxrpc.idl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What idlc, {@code onyx call --idl} and {@code -d @FILE} say of an input they cannot read. */
class InputFilesTest {
  @TempDir Path dir;

  @Test
  void missingFilesAndDirectoriesAreToldAndReadableOnesAreNot() throws Exception {
    assertEquals("cannot read gone.x: no such file",
        InputFiles.unreadable(dir, dir.resolve("gone.x"), null));
    assertEquals("cannot read sub: a directory (name the .x files in it)",
        InputFiles.unreadable(dir, Files.createDirectory(dir.resolve("sub")), "the .x files"));
    assertNull(InputFiles.unreadable(dir, Files.writeString(dir.resolve("ok.x"), "const A = 1;"), null));
  }

  @Test
  void aPipeIsReadAsAFileIs() throws Exception {
    // "onyx call ... -d @<(make-args)" names a pipe; before, it was refused "permission denied".
    Path fifo = dir.resolve("args");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    assertNull(InputFiles.unreadable(dir, fifo, null));
  }
}
