package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
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

  /**
   * A directory another user owns is one that user may write into: before, the server used it
   * as it was, and hosted at its start any log put there (a queue with the owner, mode and
   * messages of that user's choosing), and wrote its logs aside under names that user could
   * have made symbolic links first, which a server run as root followed.
   */
  @Test
  void aDataDirectoryOfAnotherUserIsRefused() throws Exception {
    Path data;
    if (uid(work) == 0) {
      data = Files.createDirectory(work.resolve("theirs"), PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
      Files.setAttribute(data, "unix:uid", 1000);
    } else {
      data = Path.of("/usr"); // root's; this user cannot make a directory of another's
    }
    UncheckedIOException refused = assertThrows(UncheckedIOException.class,
        () -> QueueServer.builder().dataDirectory(data).build().close());
    assertEquals("cannot recover the durable queues in " + data + ": it is owned by uid " + uid(data)
        + ", not by this server's user (uid " + uid(work) + "), who alone may write in it:"
        + " give the server a directory of its own", refused.getMessage());
  }

  /** One the group or others may write into is as open to them, whoever owns it. */
  @Test
  void aDataDirectoryOthersMayWriteIntoIsRefused() throws Exception {
    for (String mode : List.of("rwxrwxrwx", "rwxrwx---", "rwx-w----", "rwx----wx")) {
      Path data = Files.createDirectory(work.resolve("open-" + mode));
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString(mode));
      UncheckedIOException refused = assertThrows(UncheckedIOException.class,
          () -> QueueServer.builder().dataDirectory(data).build().close(), mode);
      assertEquals("cannot recover the durable queues in " + data + ": its group or others may write in it ("
          + mode + "), and so put logs or links in it: chmod go-w " + data, refused.getMessage());
    }
  }

  /** Others may still read (list) a directory of the server's user that is there: its logs are 0600. */
  @Test
  void aDataDirectoryOthersMayOnlyReadIsUsed() throws Exception {
    Path data = Files.createDirectory(work.resolve("readable"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    QueueServer.builder().dataDirectory(data).build().close();
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
  }

  private static int uid(Path path) throws Exception {
    return (Integer) Files.getAttribute(path, "unix:uid");
  }
}
