package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.testing.Await;

/**
 * A queue's name is its creator's, newlines included (Linux allows them too): the server's log
 * lines that quote it stay one line, so a client cannot write log lines of its own. Read where
 * the tests' logger writes, standard error.
 */
class LoggedNamesTest {
  private static final Caller CALLER = new Caller(1000, 100, new int[0], "client");
  private static final String FORGED = "2026-12-02 23:00:00 [main] ERROR Forged - written by a client";

  @Test
  void aHandleWhoseLeaseEndsIsLoggedWithItsQueuesNameOnOneLine() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (QueueHost host = new QueueHost(new HostConfig(256, 65_536, 1 << 20, 1L << 30, 256, 1L << 30,
        1024, 65_536, 1024, 64 << 20, 16 << 20, Duration.ofMinutes(1), Duration.ofMillis(40), null))) {
      host.open(CALLER, new OpenRequest("/x\n" + FORGED, Access.READ_WRITE, true, false, 0600, 4, 8, false))
          .get(10, TimeUnit.SECONDS);
      // The sweep closes the unused handle and says so, quoting its queue's name.
      Await.until(() -> err.toString(StandardCharsets.UTF_8).contains("closed, of queue(s)"));
    } finally {
      System.setErr(stderr);
    }
    String logged = err.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("of queue(s) [/x\\x0a" + FORGED + "]"), logged);
    assertTrue(logged.lines().noneMatch(line -> line.startsWith(FORGED)), logged);
  }
}
