package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable logs hold every message of their queues, whatever mode a queue has, so other
 * local users may not read them off the disk. Before, the data directory and the logs were made
 * with the umask's modes (0755 and 0644 under the usual 022): 'onyx mq --data-dir /tmp/onyx-mq',
 * as the README ran it, let every user of the machine read a mode-0600 queue's messages.
 */
class DataDirectoryPermissionsTest {
  @TempDir
  Path work;

  @Test
  void theDataDirectoryAndTheLogsAreTheServersUsersAlone() throws Exception {
    Path data = work.resolve("data");
    try (QueueFixture f = new QueueFixture(QueueServer.builder().dataDirectory(data).build());
        MessageQueue q = MessageQueues.open(f.client(1000, 100), "/private",
            OpenOptions.create(0600, QueueAttributes.of(10, 16)).durable())) {
      q.send(new byte[] {1}, 0);
    }
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    List<Path> logs;
    try (var listed = Files.list(data)) {
      logs = listed.toList();
    }
    assertFalse(logs.isEmpty(), "no log written");
    for (Path log : logs) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)), log.toString());
    }
  }
}
