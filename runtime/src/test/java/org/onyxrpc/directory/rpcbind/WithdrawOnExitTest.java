package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.ForkedRegisteredServer;

/** A server built with {@code withdrawOnExit()} leaves the directory on SIGTERM, not at its lease's end. */
class WithdrawOnExitTest {
  @Test
  void sigtermWithdrawsTheServersEntries() throws Exception {
    String name = "org.onyxrpc.test.Leaving";
    try (DirectoryFixture fixture = new DirectoryFixture()) {
      String java = ProcessHandle.current().info().command().orElse("java");
      Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          ForkedRegisteredServer.class.getName(), Integer.toString(fixture.port()), name)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      try {
        BufferedReader out = new BufferedReader(
            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("started", out.readLine());
        assertEquals(2, fixture.directory.lookup(name).size()); // TCP and UDP, leased for 30 s
        server.destroy(); // SIGTERM
        server.waitFor(1, TimeUnit.MINUTES);
        assertEquals(List.of(), fixture.directory.lookup(name));
      } finally {
        server.destroyForcibly();
      }
    }
  }
}
