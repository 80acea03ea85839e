package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

/** An EIO's detail tells the file system's reason in words, never the server's paths. */
class FailuresTest {
  @Test
  void reasonsAreWordsNotPaths() {
    assertEquals("Permission denied", Failures.reason(new AccessDeniedException("/var/lib/onyx-mq/2f71.mqlog")));
    assertEquals("No such file or directory", Failures.reason(new NoSuchFileException("/var/lib/onyx-mq")));
    assertEquals("Not a directory", Failures.reason(new NotDirectoryException("/var/lib/onyx-mq")));
    assertEquals("Read-only file system",
        Failures.reason(new FileSystemException("/var/lib/onyx-mq/x", null, "Read-only file system")));
    assertEquals("No space left on device", Failures.reason(new IOException("No space left on device")));
  }
}
