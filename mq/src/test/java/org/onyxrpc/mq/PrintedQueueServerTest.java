package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queue server a user logs says which it is: what it serves, where its durable queues live,
 * whether it is closed. Before, it printed as {@code QueueServer@1b6d3586}.
 */
class PrintedQueueServerTest {
  @Test
  void aQueueServerSaysWhatItServesAndWhereItKeepsItsQueues(@TempDir Path data) {
    QueueServer queues = QueueServer.builder().dataDirectory(data).build();
    String program = "program 0x" + Integer.toHexString(QueueServer.PROGRAM) + " version " + QueueServer.VERSION;
    assertEquals("QueueServer[" + program + ", data directory " + data + "]", queues.toString());
    queues.close();
    assertEquals("QueueServer[" + program + ", data directory " + data + ", closed]", queues.toString());
  }

  @Test
  void oneWithoutADataDirectorySaysItsQueuesAreInMemory() {
    try (QueueServer queues = QueueServer.builder().build()) {
      assertEquals("QueueServer[program 0x" + Integer.toHexString(QueueServer.PROGRAM) + " version "
          + QueueServer.VERSION + ", in memory]", queues.toString());
    }
  }

  /** A directory's name is the user's: a log line quoting it stays one line. */
  @Test
  void aDataDirectorysNameIsEscaped(@TempDir Path parent) {
    Path data = parent.resolve("queues\nFAKE LOG LINE");
    try (QueueServer queues = QueueServer.builder().dataDirectory(data).build()) {
      assertEquals(1, queues.toString().lines().count(), queues.toString());
    }
  }
}
