package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.transport.Transport;

/**
 * A server whose directory is slow to answer is registered in the background once {@link
 * RpcServer#start} has given up its 2 s wait: a caller can wait for it ({@link
 * RpcServer#awaitRegistered}), and the serving line says where the server registered and whether
 * it is done. Before, a test that looked the server up right after start() found nothing (a
 * remote directory on a loaded machine), nothing was logged, and the line named no directory:
 * nor did it tell a server registered in its own process's embedded directory from one
 * registered in the directory the user served.
 */
class RegistrationWaitTest {
  private static final int PROGRAM = 0x20000778;

  /** A directory whose registrations wait for {@code answer}, as one that is slow to reply. */
  private static class SlowDirectory implements Directory {
    final CountDownLatch answer = new CountDownLatch(1);
    final LocalDirectory kept = new LocalDirectory(new InMemoryDirectoryStore());

    @Override
    public Duration register(ServiceInstance instance, Duration lease) {
      try {
        answer.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return kept.register(instance, lease);
    }

    @Override
    public boolean unregister(ServiceInstance instance) {
      return kept.unregister(instance);
    }

    @Override
    public List<ServiceInstance> lookup(String name) {
      return kept.lookup(name);
    }

    @Override
    public List<ServiceInstance> lookup(int program, int version) {
      return kept.lookup(program, version);
    }

    @Override
    public String toString() {
      return "slow directory";
    }
  }

  /** Runs {@code start}, returning the "Onyx server on" lines logged meanwhile. */
  private static List<String> servingLines(ThrowingRunnable start) throws Exception {
    List<String> lines = new ArrayList<>();
    PrintStream err = System.err;
    try {
      // slf4j-simple prints to whatever System.err is when it logs.
      System.setErr(new PrintStream(err, true) {
        @Override
        public void println(String line) {
          if (line.contains("Onyx server on") && line.contains("serving") || line.contains("cannot register")) {
            synchronized (lines) {
              lines.add(line);
            }
          }
          super.println(line);
        }
      });
      start.run();
    } finally {
      System.setErr(err);
    }
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static RpcServerBuilder server(Directory directory) {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
        .directory(directory).addService(ServiceDefinition.builder(PROGRAM, 1).build());
  }

  @Test
  void aRegistrationLeftToTheBackgroundIsToldAndCanBeAwaited() throws Exception {
    SlowDirectory directory = new SlowDirectory();
    RpcServer[] server = new RpcServer[1];
    List<String> lines = servingLines(() -> server[0] = server(directory).build().start());
    try (RpcServer s = server[0]) {
      assertEquals(1, lines.size(), lines.toString());
      assertTrue(lines.get(0).endsWith("serving [program 0x20000778 version 1]; registering with slow directory:"
          + " not registered yet, goes on in the background (RpcServer.awaitRegistered waits for it)"), lines.get(0));
      assertFalse(s.awaitRegistered(Duration.ZERO));
      assertTrue(directory.kept.lookup(PROGRAM, 1).isEmpty());
      directory.answer.countDown();
      assertTrue(s.awaitRegistered(Duration.ofSeconds(60)));
      assertEquals(1, directory.kept.lookup(PROGRAM, 1).size());
    }
  }

  /** A directory that refuses: a WARN line, then the start line says it is not registered yet. */
  @Test
  void aRefusedRegistrationIsAWarningAndNotRegisteredYet() throws Exception {
    SlowDirectory directory = new SlowDirectory() {
      @Override
      public Duration register(ServiceInstance instance, Duration lease) {
        throw new IllegalStateException("refused for the test");
      }

      @Override
      public String toString() {
        return "refusing directory";
      }
    };
    RpcServer[] server = new RpcServer[1];
    List<String> lines = servingLines(() -> server[0] = server(directory).build().start());
    try (RpcServer s = server[0]) {
      assertEquals(2, lines.size(), lines.toString());
      assertTrue(lines.get(0).contains("WARN") && lines.get(0).contains("cannot register program 0x20000778 version 1"
          + " over tcp at 127.0.0.1:" + s.port() + " with refusing directory: refused for the test; retrying"),
          lines.get(0));
      assertTrue(lines.get(1).endsWith("; registering with refusing directory: not registered yet, goes on in the"
          + " background (RpcServer.awaitRegistered waits for it)"), lines.get(1));
      assertFalse(s.awaitRegistered(Duration.ZERO));
    }
  }

  @Test
  void theServingLineSaysWhereTheServerRegistered() throws Exception {
    try (LocalDirectory own = new LocalDirectory(new InMemoryDirectoryStore())) {
      RpcServer[] server = new RpcServer[3];
      List<String> lines = servingLines(() -> {
        server[0] = server(Directory.embedded()).build().start();
        server[1] = server(own).build().start();
        server[2] = server(Directory.none()).build().start();
      });
      try (RpcServer a = server[0]; RpcServer b = server[1]; RpcServer c = server[2]) {
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith("; registered with this process's embedded directory"), lines.get(0));
        assertTrue(lines.get(1).endsWith("; registered with local directory over " + own.store()), lines.get(1));
        assertTrue(lines.get(2).endsWith("serving [program 0x20000778 version 1]"), lines.get(2)); // chosen
        for (RpcServer s : List.of(a, b, c)) {
          assertTrue(s.awaitRegistered(Duration.ZERO), s.toString());
        }
      }
    }
  }

  @Test
  void aServerNotStartedHasNothingToAwait() {
    RpcServer server = server(Directory.none()).build();
    assertThrows(IllegalStateException.class, () -> server.awaitRegistered(Duration.ofSeconds(1)));
    server.close();
  }
}
