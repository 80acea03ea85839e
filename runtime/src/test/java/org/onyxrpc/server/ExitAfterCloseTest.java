package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.ExitCensus;

/**
 * Once servers, clients and the directory are closed, no thread that is not a daemon is left, so
 * a JVM whose main returns exits at once. Before, shutting down an event loop group started
 * Netty's GlobalEventExecutor thread (not a daemon), which held the exit for up to a second.
 */
class ExitAfterCloseTest {
  @Test
  void nothingHoldsTheJvmOnceEverythingIsClosed() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process census = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ExitCensus.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(census.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("closed []", out.readLine(), "threads that are not daemons, alive after close");
      long closed = System.nanoTime();
      assertTrue(census.waitFor(1, TimeUnit.MINUTES));
      // For the record, not asserted: the time a machine takes varies.
      System.out.println("ExitAfterCloseTest: the JVM exited "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed) + " ms after close");
      assertEquals(0, census.exitValue());
    } finally {
      census.destroyForcibly();
    }
  }
}
