package org.onyxrpc.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * A Unix-domain socket that cannot be put in place at its path is named with the system's words,
 * as {@link PortInUseTest}'s ports are. Before, the JDK's words came as they are: "cannot listen
 * on DIR/s: DIR/.onyx-1a2b -> DIR/s: Is a directory", naming a temporary file the user never
 * gave, and, when the temporary socket was gone, "cannot listen on DIR/s: DIR/.onyx-1a2b ->
 * DIR/s", no reason at all.
 */
class UnixSocketFileWordsTest {
  @TempDir
  Path dir;

  @Test
  void aDirectoryThatCameAtThePathSaysSo() throws Exception {
    Path path = dir.resolve("s");
    UnixSocketFile file = UnixSocketFile.prepare(UnixSocketAddress.of(path));
    Files.createFile(file.bindAddress().path()); // stands for the socket bound under the temporary name
    Files.createFile(Files.createDirectory(path).resolve("inside")); // made at the path meanwhile
    IOException e = assertThrows(IOException.class, file::bound);
    assertEquals("cannot listen on " + path + ": Is a directory", e.getMessage());
  }

  @Test
  void aTemporarySocketThatWentSaysSo() throws Exception {
    Path path = dir.resolve("s");
    UnixSocketFile file = UnixSocketFile.prepare(UnixSocketAddress.of(path)); // nothing bound under its name
    IOException e = assertThrows(IOException.class, file::bound);
    assertEquals("cannot listen on " + path + ": No such file or directory", e.getMessage());
  }
}
