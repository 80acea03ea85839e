package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.testing.Await;

/**
 * A relay whose socket is bound but cannot be opened to every user fails to start, and takes its
 * listening socket and its event loop thread with it: before, both stayed for the life of the
 * process, owned by nobody.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class LocalSocketRelayStartFailureTest {
  @TempDir
  Path dir;

  private static long relayThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("onyx-directory-local"))
        .count();
  }

  @Test
  void aRelayWhosePermissionsCannotBeSetLeavesNoThreadBehind() throws Exception {
    long before = relayThreads();
    // A path of a file system without POSIX permissions whose name is a real directory's:
    // the bind (by name) succeeds, setting the permissions cannot.
    try (FileSystem zip = FileSystems.newFileSystem(dir.resolve("fs.zip"), Map.of("create", "true"))) {
      Path socket = zip.getPath(dir.resolve("relay.sock").toString());
      assertThrows(UnsupportedOperationException.class,
          () -> LocalSocketRelay.start(socket, new InetSocketAddress("127.0.0.1", 1)));
    }
    assertTrue(Await.within(() -> relayThreads() == before, Duration.ofSeconds(20)),
        "the failed relay's event loop thread is still alive");
  }
}
