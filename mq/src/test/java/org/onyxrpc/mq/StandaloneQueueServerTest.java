package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server says in one line why it cannot serve, and exits with status 1. */
class StandaloneQueueServerTest {
  @TempDir Path work;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int serve(int port, Path dataDirectory) throws InterruptedException {
    return StandaloneQueueServer.serve(port, InetAddress.getLoopbackAddress(), dataDirectory, null,
        new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void aPortInUseIsStatusOneInOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(1, serve(taken.getLocalPort(), null));
      assertTrue(err.toString().startsWith("onyx mq: cannot listen on"), err.toString());
      assertEquals(1, err.toString().lines().count(), err.toString());
      assertEquals("", out.toString());
    }
  }

  @Test
  void aDataDirectoryThatIsAFileIsStatusOneInOneLine() throws Exception {
    Path file = Files.writeString(work.resolve("not-a-directory"), "x");
    assertEquals(1, serve(0, file));
    assertEquals("onyx mq: cannot recover the durable queues in " + file + ": it exists and is not a directory\n",
        err.toString());
  }

  @Test
  void aDamagedLogIsStatusOneInOneLineNamingTheFileAndTheOffset() throws Exception {
    Path data = work.resolve("data");
    try (QueueFixture f = new QueueFixture(QueueServer.builder().dataDirectory(data).build());
        MessageQueue q = MessageQueues.open(f.client(1000, 100), "/orders",
            OpenOptions.create(0600, QueueAttributes.of(10, 16)).durable())) {
      for (int i = 0; i < 5; i++) {
        q.send(new byte[] {(byte) i}, 0);
      }
    }
    Path log;
    try (var logs = Files.list(data)) {
      log = logs.filter(p -> p.toString().endsWith(".mqlog")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(log);
    long fourthSend = bytes.length - 2 * 22; // a SEND of one byte is 22 bytes
    bytes[bytes.length - 30] ^= 1;
    Files.write(log, bytes);

    assertEquals(1, serve(0, data));
    assertTrue(err.toString().startsWith("onyx mq: cannot recover the durable queues in " + data + ": " + log
        + ": damaged record at offset " + fourthSend + " (its checksum does not match), "), err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertArrayEquals(bytes, Files.readAllBytes(log), "the damaged log is left as it was");
  }

  /** A log that cannot be read is named with the reason: the directory alone leaves the operator to guess. */
  @Test
  void aLogThatCannotBeReadIsNamedInOneLine() throws Exception {
    Path data = Files.createDirectory(work.resolve("data"));
    Path notALog = Files.createDirectory(data.resolve("2f71.mqlog"));
    assertEquals(1, serve(0, data));
    assertEquals("onyx mq: cannot recover the durable queues in " + data + ": " + notALog + ": Is a directory\n",
        err.toString());
  }
}
