package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
