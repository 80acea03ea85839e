package org.onyxrpc.examples.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.onyxrpc.examples.ExampleMain;

/**
 * The file client started before its server: one line and a status, as the calculator's, though
 * its first calls are asynchronous ones (whose failure {@code join()} wraps).
 */
class FileMainTest {
  @Test
  void aClientWithoutItsServerSaysItCannotReachIt() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ExampleMain.status("FileClient", () -> FileClient.call(new String[] {"127.0.0.1", String.valueOf(port)}),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String line = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, status, line);
    assertTrue(line.startsWith("FileClient: UNAVAILABLE: cannot reach tcp 127.0.0.1:" + port), line);
    assertEquals(1, line.lines().count(), line);
  }
}
