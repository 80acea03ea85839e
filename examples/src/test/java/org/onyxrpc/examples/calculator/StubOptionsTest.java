package org.onyxrpc.examples.calculator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;

/** A generated stub keeps each procedure's promise, and options given to it override it. */
class StubOptionsTest {
  /**
   * Answers after 300 ms and counts how often it ran, by its first argument. The first run of
   * {@code add(HELD, ...)} answers only once a second run of it has started, however slow the
   * machine: on a loaded one the 300 ms passed before the retransmission ran, and the at-least-once
   * call was seen to run once. {@code add(UNTIL_RELEASED, ...)} answers only once the test releases
   * it, so that a call with a short deadline cannot be answered in time, however late its timer.
   */
  private static final class SlowCalculator implements CalculatorV1.Calculator {
    static final long HELD = 2;
    static final long UNTIL_RELEASED = 1;
    final Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    final CountDownLatch secondRun = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);

    int runsOf(long a) {
      AtomicInteger n = runs.get(a);
      return n == null ? 0 : n.get();
    }

    @Override
    public long add(long a, long b) {
      int run = runs.computeIfAbsent(a, k -> new AtomicInteger()).incrementAndGet();
      try {
        if (a == HELD && run == 1) {
          secondRun.await(1, TimeUnit.MINUTES);
        } else if (a == UNTIL_RELEASED) {
          released.await(1, TimeUnit.MINUTES);
        } else {
          if (a == HELD) {
            secondRun.countDown();
          }
          Thread.sleep(300); // a slow procedure, past the 50 ms attempt timeout: not a wait
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return a + b;
    }

    @Override
    public long divide(long a, long b) throws DivideByZero {
      return a / b;
    }

    @Override
    public Parity parity(long value) {
      return value % 2 == 0 ? Parity.EVEN : Parity.ODD;
    }
  }

  @Test
  void optionsGivenToAStubApplyToEveryCall() throws Exception {
    SlowCalculator slow = new SlowCalculator();
    // In-process: the stub's options and the retransmissions behave as over a socket.
    try (RpcServer server = RpcServer.builder().inProcess("stub-options")
            .addService(CalculatorV1.bind(slow)).build().start();
        RpcClient client = RpcClient.builder().inProcess("stub-options")
            .attemptTimeout(Duration.ofMillis(50)).build()) {
      // add is @idempotent: at least once, so the slow call is sent again and runs again.
      assertEquals(5, CalculatorV1.newClient(client).add(SlowCalculator.HELD, 3));
      int retried = slow.runsOf(SlowCalculator.HELD);
      assertEquals(true, retried > 1, "ran " + retried + " times");

      // The same procedure through a stub that says maybe: sent once, run once. Counted apart
      // from the first call, whose last copies may still be starting.
      CalculatorV1.Calculator once = CalculatorV1.newClient(client,
          CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE));
      assertEquals(9, once.add(4, 5));
      assertEquals(1, slow.runsOf(4));

      // And a deadline shorter than the procedure, which answers only once the TIMEOUT is seen:
      // a 300 ms procedure could answer first on a loaded machine whose timer fired late.
      CalculatorV1.Calculator hurried = CalculatorV1.newClient(client,
          CallOptions.DEFAULT.withDeadline(Duration.ofMillis(100)));
      try {
        RpcException e = assertThrows(RpcException.class, () -> hurried.add(SlowCalculator.UNTIL_RELEASED, 1));
        assertEquals(RpcStatus.TIMEOUT, e.status());
      } finally {
        slow.released.countDown();
      }
    }
  }
}
