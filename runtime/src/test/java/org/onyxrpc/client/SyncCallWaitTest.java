package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodecs;

/** A sync caller's wait for its reply, on a manual clock. */
class SyncCallWaitTest {
  private static final Procedure<Void, Void> NULL = new Procedure<>(1, 1, 0, "NULL",
      XdrCodecs.VOID, XdrCodecs.VOID, CallSemantics.MAYBE);

  /**
   * A call that spent most of its budget before its caller waits (connecting, or writing a large
   * argument to a slow reader) waits only what is left: taking its whole budget there, as a
   * by-hand cut of a clock read once did, let it run past its deadline by that much.
   */
  @Test
  void theFirstWaitIsWhatIsLeftOfTheBudgetNotAllOfIt() {
    ManualTimer clock = new ManualTimer();
    long budget = Duration.ofSeconds(1).toNanos();
    TestCallOwner owner = TestCallOwner.running();
    CallSteps steps = new TableCallSteps(owner, new OutstandingCalls(new ClientCounters(), 16));
    PendingCall<Void, Void> call = new PendingCall<>(steps, 1, NULL, null, CallSemantics.MAYBE,
        clock.nanoTime(), budget, budget, true, Thread.currentThread());
    List<Long> waits = new ArrayList<>();
    call.connection = new Connection() {
      @Override
      public boolean transmit(PendingCall<?, ?> c) {
        return true;
      }

      @Override
      public void await(PendingCall<?, ?> c, long deadlineNanos, long leftNanos) {
        waits.add(leftNanos);
        call.complete(null); // its reply came
      }

      @Override
      public boolean isActive() {
        return true;
      }

      @Override
      public void close() {}
    };
    clock.advance(Duration.ofMillis(900)); // what connecting and writing took

    new SyncCallWait(owner, clock, false, null, "tcp test").awaitOutcome(call);

    assertEquals(List.of(Duration.ofMillis(100).toNanos()), waits);
  }
}
