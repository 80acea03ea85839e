package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Map;

/**
 * A C bulk_client stopped and resumed as a process paged out or descheduled is (SIGSTOP,
 * SIGCONT), for tests of a server whose reply such a client has not taken yet.
 */
final class StoppedClients {
  /**
   * The environment that fixes bulk_client's receive buffer: left to grow, it takes tens of MB
   * (tcp_rmem) of a reply while the client is stopped, and the server has sent it all.
   */
  static final Map<String, String> FIXED_RCVBUF = Map.of("BULK_RCVBUF", "65536");

  private StoppedClients() {}

  static void stop(Process client) throws IOException, InterruptedException {
    signal(client, "STOP");
  }

  static void resume(Process client) throws IOException, InterruptedException {
    signal(client, "CONT");
  }

  private static void signal(Process process, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    assertEquals(0, kill.waitFor(), "kill -" + signal);
  }
}
