package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable queue that fills its disk with its own sends can still be drained. Each commit
 * appends a TAKE record to the log; before, on the full disk every commit failed EIO (the message
 * back in its place): a queue of 256 messages gave 42 and no more, and its disk stayed full. Now
 * a send is refused (EIO, No space left on device) while the disk has less than room for every
 * held message's TAKE record. On a real file system (a 256 KiB tmpfs, mounted when the test runs
 * as root; as another user, {@code internal.server.DiskReserveTest} checks the same bound).
 */
class FullDiskTest {
  @TempDir
  Path work;

  @Test
  void aQueueThatFilledItsDiskIsDrainedToTheLastMessage() throws Exception {
    if ((Integer) Files.getAttribute(work, "unix:uid") != 0) {
      return; // only root mounts a file system; DiskReserveTest covers the bound
    }
    Path disk = Files.createDirectory(work.resolve("disk"));
    run("mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", disk.toString());
    try {
      Path data = disk.resolve("data");
      int sent = 0;
      try (QueueFixture f = new QueueFixture(QueueServer.builder().dataDirectory(data).build());
          MessageQueue q = MessageQueues.open(f.client(1000, 100), "/full",
              OpenOptions.create(0600, QueueAttributes.of(60_000, 1000)).durable())) {
        MessageQueueException full;
        while (true) {
          try {
            q.trySend(new byte[1000], 0);
            sent++;
          } catch (MessageQueueException e) {
            full = e;
            break;
          }
        }
        assertEquals(MqError.EIO, full.error(), full.toString());
        assertTrue(full.getMessage().contains("No space left on device"), full.getMessage());
        assertTrue(sent > 100, "sent " + sent);
        for (int i = 0; i < sent; i++) {
          q.tryReceive();
        }
        assertEquals(MqError.EAGAIN, assertEmpty(q));
      }
      try (QueueFixture restarted = new QueueFixture(QueueServer.builder().dataDirectory(data).build());
          MessageQueue q = MessageQueues.open(restarted.client(1000, 100), "/full", OpenOptions.existing())) {
        assertEquals(MqError.EAGAIN, assertEmpty(q), "every message taken stays taken");
      }
    } finally {
      run("umount", disk.toString());
    }
  }

  private static MqError assertEmpty(MessageQueue q) {
    return QueueSemanticsTest.errorOf(q::tryReceive);
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + said);
  }
}
