package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server's command line: every mistake is one line and an exit status, no stack trace. */
class QueueServerMainTest {
  @TempDir Path work;

  record Run(int status, String out, String err) {}

  private Run run(String... args) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path out = work.resolve("out");
    Path err = work.resolve("err");
    // As mq/README.md runs it: JDK 22+ would print four warning lines when Netty loads its natives.
    List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), QueueServerMain.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("QueueServerMain " + String.join(" ", args) + " did not stop");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  private static void assertNoStackTrace(Run run) {
    assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
  }

  @Test
  void badArgumentsAreExitStatusTwoWithUsage() throws Exception {
    Run run = run("--port", "abc");
    assertEquals(2, run.status());
    assertTrue(run.err().startsWith("onyx mq: --port must be 0..65535: abc\nusage: QueueServerMain"), run.err());
    assertNoStackTrace(run);
    Run help = run("--help");
    assertEquals(0, help.status());
    assertTrue(help.out().startsWith("usage: QueueServerMain"), help.out());
  }

  @Test
  void aPortInUseIsExitStatusOneInOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run run = run("--bind", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()));
      assertEquals(1, run.status());
      assertTrue(run.err().startsWith("onyx mq: cannot listen on"), run.err());
      assertEquals(1, run.err().lines().count(), run.err());
      assertNoStackTrace(run);
    }
  }

  @Test
  void aDataDirectoryThatIsAFileIsExitStatusOneInOneLine() throws Exception {
    Path file = Files.writeString(work.resolve("not-a-directory"), "x");
    Run run = run("--bind", "127.0.0.1", "--data-dir", file.toString());
    assertEquals(1, run.status());
    assertEquals("onyx mq: cannot recover the durable queues in " + file + ": it exists and is not a directory\n",
        run.err());
  }

  @Test
  void aDamagedLogIsExitStatusOneInOneLineNamingTheFileAndTheOffset() throws Exception {
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

    Run run = run("--bind", "127.0.0.1", "--data-dir", data.toString());
    assertEquals(1, run.status());
    assertTrue(run.err().startsWith("onyx mq: cannot recover the durable queues in " + data + ": " + log
        + ": damaged record at offset " + fourthSend + " (its checksum does not match), "), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertNoStackTrace(run);
    assertArrayEquals(bytes, Files.readAllBytes(log));
  }

  @Test
  void optionsAreParsed() {
    assertEquals(new QueueServerMain.Options(4714, null, Path.of("/tmp/q")),
        QueueServerMain.parse(new String[] {"--port", "4714", "--data-dir", "/tmp/q"}));
    assertEquals("unknown argument --bogus",
        assertThrows(IllegalArgumentException.class, () -> QueueServerMain.parse(new String[] {"--bogus"})).getMessage());
  }
}
