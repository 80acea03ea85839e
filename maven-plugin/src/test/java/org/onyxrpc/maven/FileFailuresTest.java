package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A file failure names the file and the reason. Built as a user who may not write target/ (root
 * made it), generate failed with "cannot generate Java from src/main/idl:
 * /home/u/p/target/generated-sources": the path NIO's AccessDeniedException carries, and no
 * reason. Root may write anywhere, so the exceptions are made here as NIO makes them.
 */
class FileFailuresTest {
  @Test
  void permissionDeniedSaysSo() {
    assertEquals("/p/target/generated-sources: permission denied",
        FileFailures.words(new AccessDeniedException("/p/target/generated-sources")));
  }

  @Test
  void theFileIsNamedAsTheCallerShowsIt() {
    assertEquals("target/generated-sources: permission denied", FileFailures.words(
        new UncheckedIOException(new AccessDeniedException("/p/target/generated-sources")),
        path -> Path.of("/p").relativize(path).toString()));
  }

  @Test
  void otherReasonsAreTheSystemsOrTheirNames() {
    assertEquals("/p/a.idl: no such file or directory", FileFailures.words(new NoSuchFileException("/p/a.idl")));
    assertEquals("/p/out: Read-only file system",
        FileFailures.words(new FileSystemException("/p/out", null, "Read-only file system")));
    assertEquals("disk on fire", FileFailures.words(new IOException("disk on fire")));
  }
}
