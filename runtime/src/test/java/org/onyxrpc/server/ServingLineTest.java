package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;

/**
 * The server's "serving" line comes once its registrations are made: a script that waits for
 * the line and then starts a client that asks the directory (a C client's {@code clnt_create})
 * found the program unregistered when the line came first.
 */
class ServingLineTest {
  private static final int PROGRAM = 0x20000777;

  @Test
  void theServingLineComesAfterTheRegistrations() throws Exception {
    List<Boolean> registeredAtTheLine = new ArrayList<>();
    PrintStream err = System.err;
    try (LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore())) {
      // slf4j-simple prints to whatever System.err is when it logs.
      System.setErr(new PrintStream(err, true) {
        @Override
        public void println(String line) {
          if (line.contains("Onyx server on") && line.contains("serving")) {
            synchronized (registeredAtTheLine) {
              registeredAtTheLine.add(!directory.lookup(PROGRAM, 1).isEmpty());
            }
          }
          super.println(line);
        }
      });
      try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
          .directory(directory)
          .addService(ServiceDefinition.builder(PROGRAM, 1).build())
          .build().start()) {
        synchronized (registeredAtTheLine) {
          assertEquals(List.of(true), registeredAtTheLine);
        }
      }
    } finally {
      System.setErr(err);
    }
  }

  /**
   * A stop says so at INFO, once, as the start does (README, Observability): before, a server
   * that closed cleanly said nothing, and an operator could not tell a stop from a hang.
   */
  @Test
  void aStopSaysSoOnce() throws Exception {
    List<String> lines = new ArrayList<>();
    PrintStream err = System.err;
    try {
      System.setErr(new PrintStream(err, true) {
        @Override
        public void println(String line) {
          if (line.contains("Onyx server on")) {
            synchronized (lines) {
              lines.add(line);
            }
          }
          super.println(line);
        }
      });
      RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
          .addService(ServiceDefinition.builder(PROGRAM, 1).build())
          .build().start();
      int port = server.port();
      server.close();
      server.close();
      synchronized (lines) {
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains("INFO"), lines.get(1));
        assertTrue(lines.get(1).contains("Onyx server on port " + port + " [TCP, UDP] stopped"),
            lines.get(1));
      }
    } finally {
      System.setErr(err);
    }
  }
}
