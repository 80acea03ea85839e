package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable queue's log removed (or replaced) under the running server, by an operator's {@code
 * rm} or a cleaner of old files: the queue's acknowledged messages are still in the server's
 * memory, and the sends it acknowledges from then on must reach a file a restart reads. Before,
 * the server went on appending to the removed file (still open, so every force succeeded): the
 * sends were acknowledged, and after a restart the queue and every message were gone.
 */
class RemovedLogTest {
  @TempDir
  Path data;

  @Test
  void aLogRemovedUnderTheServerIsWrittenAgainWithEveryMessageItHolds() throws Exception {
    try (QueueFixture f = new QueueFixture(QueueServer.builder().dataDirectory(data).build());
        MessageQueue q = MessageQueues.open(f.client(1000, 100), "/orders",
            OpenOptions.create(0600, QueueAttributes.of(10, 16)).durable())) {
      q.send(new byte[] {1}, 0);
      q.send(new byte[] {2}, 5);
      q.send(new byte[] {3}, 0);
      assertArrayEquals(new byte[] {2}, q.receive().message());
      Files.delete(onlyLog());
      q.send(new byte[] {4}, 0); // acknowledged: on the disk, says the README
      assertArrayEquals(new byte[] {1}, q.receive().message()); // taken: not there after a restart
    }
    try (QueueFixture restarted = new QueueFixture(QueueServer.builder().dataDirectory(data).build());
        MessageQueue q = MessageQueues.open(restarted.client(1000, 100), "/orders", OpenOptions.existing())) {
      assertArrayEquals(new byte[] {3}, q.tryReceive().message());
      assertArrayEquals(new byte[] {4}, q.tryReceive().message());
      assertEmpty(q);
    }
  }

  @Test
  void aLogReplacedUnderTheServerIsWrittenAgain() throws Exception {
    try (QueueFixture f = new QueueFixture(QueueServer.builder().dataDirectory(data).build());
        MessageQueue q = MessageQueues.open(f.client(1000, 100), "/orders",
            OpenOptions.create(0600, QueueAttributes.of(10, 16)).durable())) {
      q.send(new byte[] {1}, 0);
      Path log = onlyLog();
      Path copy = Files.copy(log, data.resolve("copy"));
      q.send(new byte[] {2}, 0);
      Files.move(copy, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // an old copy put back
      q.send(new byte[] {3}, 0);
    }
    try (QueueFixture restarted = new QueueFixture(QueueServer.builder().dataDirectory(data).build());
        MessageQueue q = MessageQueues.open(restarted.client(1000, 100), "/orders", OpenOptions.existing())) {
      for (byte b = 1; b <= 3; b++) {
        assertArrayEquals(new byte[] {b}, q.tryReceive().message());
      }
      assertEmpty(q);
    }
  }

  @Test
  void aDataDirectoryRemovedUnderTheServerIsMadeAgain() throws Exception {
    Path dir = data.resolve("queues");
    try (QueueFixture f = new QueueFixture(QueueServer.builder().dataDirectory(dir).build());
        MessageQueue q = MessageQueues.open(f.client(1000, 100), "/orders",
            OpenOptions.create(0600, QueueAttributes.of(10, 16)).durable())) {
      q.send(new byte[] {1}, 0);
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      q.send(new byte[] {2}, 0);
    }
    assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir)));
    try (QueueFixture restarted = new QueueFixture(QueueServer.builder().dataDirectory(dir).build());
        MessageQueue q = MessageQueues.open(restarted.client(1000, 100), "/orders", OpenOptions.existing())) {
      assertArrayEquals(new byte[] {1}, q.tryReceive().message());
      assertArrayEquals(new byte[] {2}, q.tryReceive().message());
      assertEmpty(q);
    }
  }

  private static void assertEmpty(MessageQueue q) {
    assertEquals(MqError.EAGAIN, assertThrows(MessageQueueException.class, q::tryReceive).error());
  }

  private Path onlyLog() throws Exception {
    try (Stream<Path> logs = Files.list(data)) {
      return logs.filter(p -> p.toString().endsWith(".mqlog")).reduce((a, b) -> {
        throw new AssertionError("two logs: " + a + ", " + b);
      }).orElseThrow();
    }
  }
}
