package org.onyxrpc.examples.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.examples.ExampleMain;

/**
 * What a newcomer meets when a run of the file service goes wrong: the client started before its
 * server (one line and a status, as the calculator's, though its first calls are asynchronous ones,
 * whose failure {@code join()} wraps), a storage directory that is not one, an in-process server.
 */
class FileMainTest {
  private static String[] run(String name, ExampleMain.Body body) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ExampleMain.status(name, body, new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {String.valueOf(status), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES) // without the check, serve() would serve on
  void aStorageDirectoryThatIsNotOneIsRefusedBeforeServing() throws Exception {
    assertArrayEquals(new String[] {"2", "FileServer: not a directory: /etc/passwd\n"},
        run("FileServer", () -> FileServer.serve(new String[] {"/etc/passwd"})));
    assertArrayEquals(new String[] {"2", "FileServer: not a directory: /nonexistent/onyx-files\n"},
        run("FileServer", () -> FileServer.serve(new String[] {"/nonexistent/onyx-files"})));
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES) // without the check, serve() would serve on
  void anInProcessServerAloneIsRefused() throws Exception {
    assertArrayEquals(new String[] {"2", "FileServer: an in-process server serves its own JVM only: run FileDemo"
        + " --transport in-process\n"},
        run("FileServer", () -> FileServer.serve(new String[] {"--transport", "in-process"})));
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES) // without the check, serve() would serve on
  void aServerGivenTooManyArgumentsSaysWhatItTakes() throws Exception {
    String dir = System.getProperty("java.io.tmpdir");
    assertArrayEquals(new String[] {"2", "FileServer: expected [DIRECTORY] [PORT], got " + dir + " 0 extra\n"},
        run("FileServer", () -> FileServer.serve(new String[] {dir, "0", "extra"})));
  }

  /** Before, the demo uploaded and downloaded over TCP, exit 0, for a misspelt flag. */
  @Test
  void aDemoGivenAnArgumentItDoesNotTakeSaysWhatItTakes() throws Exception {
    assertArrayEquals(new String[] {"2", "FileDemo: expected only --transport tcp|udp|unix|in-process and --at"
        + " PORT|PATH|NAME, got --transprot udp\n"},
        run("FileDemo", () -> FileDemo.demo(new String[] {"--transprot", "udp"})));
  }

  @Test
  void aClientWithoutItsServerSaysNothingListens() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ExampleMain.status("FileClient", () -> FileClient.call(new String[] {"127.0.0.1", String.valueOf(port)}),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String line = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, status, line);
    assertTrue(line.startsWith("FileClient: UNAVAILABLE: nothing listens at tcp 127.0.0.1:" + port), line);
    assertEquals(1, line.lines().count(), line);
  }
}
