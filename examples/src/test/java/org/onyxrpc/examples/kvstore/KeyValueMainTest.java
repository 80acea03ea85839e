package org.onyxrpc.examples.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.examples.ExampleMain;

/** The key-value server alone refuses in-process, which no other process could call, as the calculator's does. */
class KeyValueMainTest {
  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES) // without the check, serve() would serve on
  void anInProcessServerAloneIsRefused() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ExampleMain.status("KeyValueServer", () -> KeyValueServer.serve(new String[] {"--transport", "in-process"}),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    assertEquals("KeyValueServer: an in-process server serves its own JVM only: run KeyValueDemo --transport"
        + " in-process\n", err.toString(StandardCharsets.UTF_8));
  }

  /** Before, the demo ran over TCP, exit 0, for a misspelt flag. */
  @Test
  void aDemoGivenAnArgumentItDoesNotTakeSaysWhatItTakes() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ExampleMain.status("KeyValueDemo", () -> KeyValueDemo.demo(new String[] {"--transprot", "udp"}),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    assertEquals("KeyValueDemo: expected only --transport tcp|udp|unix|in-process and --at PORT|PATH|NAME,"
        + " got --transprot udp\n", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES) // without the check, serve() would serve on
  void aServerGivenTooManyArgumentsSaysWhatItTakes() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ExampleMain.status("KeyValueServer", () -> KeyValueServer.serve(new String[] {"0", "extra"}),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    assertEquals("KeyValueServer: expected [PORT], got 0 extra\n", err.toString(StandardCharsets.UTF_8));
  }
}
