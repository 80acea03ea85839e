package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * An {@link IoStrategy#EVENT_LOOP} sync caller looks for its call's completion before it parks
 * ({@link RpcClientBuilder#pollBeforeWaiting}): completed by the loop meanwhile, it never parks.
 */
class EventLoopCallerLooksTest {
  private static final Procedure<Void, Integer> PROC = new Procedure<>(1, 1, 1, "P",
      XdrCodecs.VOID, XdrCodecs.INT, CallSemantics.MAYBE);
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final CallOwner owner = TestCallOwner.running();
  private final OutstandingCalls calls = new OutstandingCalls(new ClientCounters(), 16);
  private final PendingCall<Void, Integer> call = new PendingCall<>(new TableCallSteps(owner, calls),
      7, PROC, null, CallSemantics.MAYBE, 0, MINUTE, MINUTE, true, null);

  @Test
  @Timeout(30)
  void aCallCompletedWithoutAnUnparkIsSeenByTheLook() {
    // Completed by another thread that did not unpark this one: only a look sees it. Without one
    // the caller parks for its whole deadline, a minute, past the test's timeout.
    assertTrue(call.complete(42));
    new ClientConnection(null, TimeUnit.MILLISECONDS.toNanos(10)).await(call, MINUTE, MINUTE);
    assertTrue(call.isDone());
  }
}
