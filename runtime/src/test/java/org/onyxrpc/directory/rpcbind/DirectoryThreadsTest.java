package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.DirectoryThreadCensus;

/**
 * Once a directory server, the remote directories and the servers and clients that use it are
 * closed, no Onyx thread is left: its forwarding thread, the directory threads, the clients'.
 */
class DirectoryThreadsTest {
  @Test
  void nothingOutlivesTheDirectoryAndItsUsers() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process census = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        DirectoryThreadCensus.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(census.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("left []", out.readLine());
      assertTrue(census.waitFor(1, TimeUnit.MINUTES));
      assertEquals(0, census.exitValue());
    } finally {
      census.destroyForcibly();
    }
  }
}
