package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.ThreadCensus;

/**
 * Clients share a bounded number of threads, whatever their number, and once every client and
 * server is closed no Onyx thread is left (before: 300 caller-runs clients made 301 reader
 * threads, and directory, timer and client I/O threads outlived everything).
 */
class SharedThreadsTest {
  @Test
  void manyClientsShareBoundedThreadsAndNothingOutlivesThem() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process census = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ThreadCensus.class.getName(), "300", "100")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(census.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("unused 0", out.readLine(), "nothing starts before it is used");
      String busy = out.readLine();
      int clientThreads = Integer.parseInt(busy.substring("busy ".length()));
      int bound = Math.max(2, Runtime.getRuntime().availableProcessors()) // the event loops
          + 2 + CallerRunsThreads.CONNECTORS; // the timer, the background reader, the connectors
      assertTrue(clientThreads <= bound, clientThreads + " client threads for 400 clients");
      assertEquals("left []", out.readLine());
      assertTrue(census.waitFor(1, TimeUnit.MINUTES));
      assertEquals(0, census.exitValue());
    } finally {
      census.destroyForcibly();
    }
  }
}
