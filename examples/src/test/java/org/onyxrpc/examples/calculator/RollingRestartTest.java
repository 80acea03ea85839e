package org.onyxrpc.examples.calculator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.server.RpcServer;

/**
 * The upgrade the README's "Running a server as a service" describes: two instances of the
 * calculator under one name, each closed (as its shutdown hook closes it on SIGTERM) and started
 * again on another port, one after the other, while a {@link DirectoryClient} calls {@code add}
 * (idempotent) without a pause: every call is answered, and the new instances are called.
 */
class RollingRestartTest {
  private static final int CALLS_SEEN = 50;

  /** A calculator that counts down a latch per call, so the test waits for calls, not time. */
  private static final class Counted implements CalculatorV1.Calculator {
    final CountDownLatch called = new CountDownLatch(CALLS_SEEN);
    private final CalculatorServer calculator = new CalculatorServer();

    @Override
    public long add(long a, long b) {
      called.countDown();
      return calculator.add(a, b);
    }

    @Override
    public long divide(long a, long b) throws DivideByZero {
      return calculator.divide(a, b);
    }

    @Override
    public Parity parity(long value) {
      return calculator.parity(value);
    }
  }

  private static RpcServer start(LocalDirectory directory, Counted impl) throws IOException {
    return RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .directory(directory)
        .addService(CalculatorV1.bind(impl))
        .build()
        .start();
  }

  private static void awaitCalls(Counted instance, String which) throws InterruptedException {
    assertTrue(instance.called.await(60, TimeUnit.SECONDS), which + " was not called");
  }

  @Test
  void idempotentCallsThroughADirectoryClientAreAllAnsweredAcrossARollingRestart() throws Exception {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    Counted a = new Counted();
    Counted b = new Counted();
    RpcServer serverA = start(directory, a);
    RpcServer serverB = start(directory, b);
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    // A restarted instance is called from the client's next look-up: after a failure, or once
    // the cache's time is up (30 s by default; without this line the test takes some 30 s more).
    try (DirectoryClient client = DirectoryClient.builder().directory(directory)
        .service(CalculatorV1.SERVICE_NAME).cacheTtl(Duration.ofSeconds(1)).build()) {
      CalculatorV1.Calculator calculator = CalculatorV1.newClient(client);
      Thread caller = new Thread(() -> {
        while (!stop.get()) {
          try {
            long sum = calculator.add(1, 2);
            if (sum != 3) {
              failures.add("add(1, 2) = " + sum);
            }
          } catch (RpcException e) {
            failures.add(e.getMessage());
          }
        }
      }, "caller");
      caller.start();
      try {
        awaitCalls(a, "the first instance");
        awaitCalls(b, "the second instance");
        serverA.close();
        Counted a2 = new Counted();
        serverA = start(directory, a2);
        awaitCalls(a2, "the first instance started again");
        serverB.close();
        Counted b2 = new Counted();
        serverB = start(directory, b2);
        awaitCalls(b2, "the second instance started again");
      } finally {
        stop.set(true);
        caller.join();
        serverA.close();
        serverB.close();
      }
    }
    assertEquals(List.of(), failures);
    String readme = Files.readString(Path.of("..", "README.md"));
    assertTrue(readme.contains("(`RollingRestartTest`)"), "README.md does not describe the restart");
  }
}
