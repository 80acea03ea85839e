package org.onyxrpc.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keeps the output the README promises a newcomer honest. */
class QuickStartTest {
  @Test
  void printsWhatTheReadmeShows() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    QuickStart.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals("""
        server: program 0x20000101 version 1 on TCP and UDP
        tcp: NULL ping answered
        tcp: add(2, 40) = 42
        tcp: describe(7) = 7 is odd
        tcp: divide(1, 0) failed: SYSTEM_ERR: server failed to run Calculator.divide (program 0x20000101 version 1 procedure 2)
        udp: add(-5, 3) = -2
        server: shut down
        """, bytes.toString(StandardCharsets.UTF_8));
  }
}
