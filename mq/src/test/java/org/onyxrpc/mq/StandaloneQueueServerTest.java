package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

  /**
   * A data directory that cannot be made is told in words, naming the parent at fault: before,
   * 'onyx mq --data-dir /proc/nope' printed 'NoSuchFileException /proc/nope', and a directory
   * under a file said the directory itself 'exists and is not a directory'.
   */
  @Test
  void aDataDirectoryThatCannotBeMadeIsToldInWords() throws Exception {
    Path file = Files.writeString(work.resolve("a-file"), "x");
    Path under = file.resolve("data");
    assertEquals(1, serve(0, under));
    assertEquals("onyx mq: cannot recover the durable queues in " + under + ": " + file
        + " exists and is not a directory\n", err.toString());
    err.getBuffer().setLength(0);

    Path proc = Path.of("/proc/self");
    assumeTrue(Files.isDirectory(proc), "no /proc, where a directory cannot be made");
    Path nope = Path.of("/proc/nope");
    assertEquals(1, serve(0, nope));
    assertEquals("onyx mq: cannot recover the durable queues in /proc/nope: it is missing and cannot be made there"
        + " (no such file or directory)\n", err.toString());
    err.getBuffer().setLength(0);

    Path deeper = Path.of("/proc/nope/data");
    assertEquals(1, serve(0, deeper));
    assertEquals("onyx mq: cannot recover the durable queues in /proc/nope/data: /proc/nope is missing and cannot be"
        + " made (no such file or directory)\n", err.toString());
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

  /**
   * What is not a log is named, and refused without opening it: before, a directory named like a
   * log gave NIO's "Is a directory" without the file, and a FIFO, whose opening waits for a
   * writer, hung the start.
   */
  @Test
  void whatIsNotALogIsNamedInOneLineAndNotOpened() throws Exception {
    Path data = Files.createDirectory(work.resolve("data"));
    Path directory = Files.createDirectory(data.resolve("2f71.mqlog"));
    assertEquals(1, serve(0, data));
    assertEquals("onyx mq: cannot recover the durable queues in " + data + ": " + directory
        + ": not a regular file, so not a log this server wrote; move it away\n", err.toString());
    Files.delete(directory);

    Path fifo = data.resolve("2f72.mqlog");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
    CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
      try {
        return serve(0, data);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals(1, served.get(60, TimeUnit.SECONDS), "the start hung on the FIFO");
    assertTrue(err.toString().endsWith(": " + fifo + ": not a regular file, so not a log this server wrote;"
        + " move it away\n"), err.toString());
  }
}
