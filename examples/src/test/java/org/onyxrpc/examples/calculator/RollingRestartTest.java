package org.onyxrpc.examples.calculator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.TcpIo;

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
    final AtomicLong divided = new AtomicLong();
    private final CalculatorServer calculator = new CalculatorServer();

    @Override
    public long add(long a, long b) {
      called.countDown();
      return calculator.add(a, b);
    }

    @Override
    public long divide(long a, long b) throws DivideByZero {
      divided.incrementAndGet();
      called.countDown();
      return calculator.divide(a, b);
    }

    @Override
    public Parity parity(long value) {
      return calculator.parity(value);
    }
  }

  private static RpcServer start(LocalDirectory directory, Counted impl) throws IOException {
    return start(directory, impl, TcpIo.EVENT_LOOP);
  }

  private static RpcServer start(LocalDirectory directory, Counted impl, TcpIo io) throws IOException {
    return RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .tcpIo(io)
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

  /**
   * The same restart with {@code divide}, at most once, from two callers without a pause, and the
   * client's default cacheTtl (30 s): no call ends OUTCOME_UNKNOWN, and each answered call ran
   * exactly once. A server shutting down refuses a call that reaches it during its drain
   * PROG_UNAVAIL (it did not run) and the DirectoryClient sends it to the other instance; before,
   * it read and dropped it and closed the connection behind its replies (one call in 33,379 lost
   * so, OUTCOME_UNKNOWN). A restarted instance is called within seconds: the client asks the
   * directory again 1, 2, 4... s after it lost one (without it this test waited the 30 s).
   */
  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void atMostOnceCallsAreEachRunOnceAcrossARollingRestart(TcpIo io) throws Exception {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    List<Counted> all = new CopyOnWriteArrayList<>();
    Counted a = new Counted();
    Counted b = new Counted();
    all.add(a);
    all.add(b);
    RpcServer serverA = start(directory, a, io);
    RpcServer serverB = start(directory, b, io);
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicLong answered = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    try (DirectoryClient client = DirectoryClient.builder().directory(directory)
        .service(CalculatorV1.SERVICE_NAME).build()) {
      CalculatorV1.Calculator calculator = CalculatorV1.newClient(client);
      List<Thread> callers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Thread caller = new Thread(() -> {
          while (!stop.get()) {
            try {
              long q = calculator.divide(84, 2);
              answered.incrementAndGet();
              if (q != 42) {
                failures.add("divide(84, 2) = " + q);
              }
            } catch (RpcException | DivideByZero e) {
              failures.add(e.getMessage());
            }
          }
        }, "caller-" + i);
        callers.add(caller);
        caller.start();
      }
      try {
        awaitCalls(a, "the first instance");
        awaitCalls(b, "the second instance");
        serverA.close();
        Counted a2 = new Counted();
        all.add(a2);
        serverA = start(directory, a2, io);
        awaitCalls(a2, "the first instance started again");
        serverB.close();
        Counted b2 = new Counted();
        all.add(b2);
        serverB = start(directory, b2, io);
        awaitCalls(b2, "the second instance started again");
      } finally {
        stop.set(true);
        for (Thread caller : callers) {
          caller.join();
        }
        serverA.close();
        serverB.close();
        directory.close();
      }
    }
    assertEquals(List.of(), failures);
    long ran = all.stream().mapToLong(c -> c.divided.get()).sum();
    assertEquals(answered.get(), ran, "calls answered against calls run");
  }
}
