package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;

/**
 * The server's "serving" line comes once its registrations are made: a script that waits for
 * the line and then starts a client that asks the directory (a C client's {@code clnt_create})
 * found the program unregistered when the line came first.
 */
class ServingLineTest {
  @Test
  void theServingLineComesAfterTheRegistrations() throws Exception {
    AtomicBoolean registered = new AtomicBoolean();
    List<Boolean> registeredAtTheLine = new ArrayList<>();
    PrintStream err = System.err;
    // slf4j-simple prints to whatever System.err is when it logs.
    System.setErr(new PrintStream(err, true) {
      @Override
      public void println(String line) {
        if (line.contains("Onyx server on") && line.contains("serving")) {
          synchronized (registeredAtTheLine) {
            registeredAtTheLine.add(registered.get());
          }
        }
        super.println(line);
      }
    });
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(new RecordingDirectory(registered))
        .addService(ServiceDefinition.builder(0x20000777, 1).build())
        .build().start()) {
      synchronized (registeredAtTheLine) {
        assertEquals(List.of(true), registeredAtTheLine);
      }
    } finally {
      System.setErr(err);
    }
  }

  /** A directory that notes that a registration came, and holds nothing. */
  private record RecordingDirectory(AtomicBoolean registered) implements Directory {
    @Override
    public Duration register(ServiceInstance instance, Duration lease) {
      registered.set(true);
      return lease;
    }

    @Override
    public boolean unregister(ServiceInstance instance) {
      return true;
    }

    @Override
    public List<ServiceInstance> lookup(String name) {
      return List.of();
    }

    @Override
    public List<ServiceInstance> lookup(int program, int version) {
      return List.of();
    }
  }
}
