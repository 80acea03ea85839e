package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A caller-runs leader's look for bytes before it sleeps: it ends as bytes come or its call is
 * done, and a window that passes with nothing makes the next waits skip their look, so that a
 * slow server costs next to no CPU.
 */
class PollBeforeWaitTest {
  private static final Procedure<Void, Integer> PROC = new Procedure<>(1, 1, 1, "P",
      XdrCodecs.VOID, XdrCodecs.INT, CallSemantics.MAYBE);
  private static final long SECOND = 1_000_000_000L;
  private static final long WINDOW = 20_000;

  private final CallOwner owner = TestCallOwner.running();
  private final OutstandingCalls calls = new OutstandingCalls(new ClientCounters(), 16);
  private final PendingCall<Void, Integer> call = new PendingCall<>(new TableCallSteps(owner, calls),
      7, PROC, null, CallSemantics.MAYBE, 0, SECOND, SECOND, true, null);
  private int looks;

  @Test
  void aZeroWindowNeverLooks() throws Exception {
    PollBeforeWait poll = new PollBeforeWait(0, c -> ++looks > 0);
    assertFalse(poll.arrived(SECOND, call));
    assertEquals(0, looks);
  }

  @Test
  void bytesWithinTheWindowEndTheLook() throws Exception {
    PollBeforeWait poll = new PollBeforeWait(SECOND, c -> ++looks == 3);
    assertTrue(poll.arrived(SECOND, call));
    assertEquals(3, looks);
  }

  @Test
  void aCallDoneMeanwhileEndsTheLook() throws Exception {
    // Another thread read the reply: the leader reads what is left rather than sleeping.
    PollBeforeWait poll = new PollBeforeWait(SECOND, c -> {
      if (++looks == 2) {
        call.fail(RpcStatus.CANCELLED, "done elsewhere", null);
      }
      return false;
    });
    assertTrue(poll.arrived(SECOND, call));
    assertEquals(2, looks);
  }

  @Test
  void theLookEndsWithTheCallersWait() throws Exception {
    // A deadline nearer than the window ends the look, as it would the sleep after it.
    PollBeforeWait poll = new PollBeforeWait(SECOND, c -> {
      looks++;
      return false;
    });
    assertFalse(poll.arrived(WINDOW, call));
    assertTrue(looks >= 1);
  }

  @Test
  void windowsWithNothingSkipTheNextWaitsLooksUntilBytesCome() throws Exception {
    boolean[] bytes = {false};
    PollBeforeWait poll = new PollBeforeWait(WINDOW, c -> {
      looks++;
      return bytes[0];
    });
    // A miss, then 1 wait skipped; a miss, then 3; a miss, then 7.
    assertEquals(List.of(true, false, true, false, false, false, true, false, false, false, false,
        false, false, false, true), looked(poll, 15));
    bytes[0] = true; // seen at the next look, after the 15 waits that the fourth miss skips
    assertEquals(16, looked(poll, 16).indexOf(true) + 1);
    assertEquals(List.of(true, true, true), looked(poll, 3), "bytes within a window start afresh");
  }

  @Test
  void atMost1023WaitsAreSkipped() throws Exception {
    PollBeforeWait poll = new PollBeforeWait(WINDOW, c -> {
      looks++;
      return false;
    });
    List<Boolean> waits = looked(poll, 20_000);
    int skipped = 0;
    int longest = 0;
    for (boolean looked : waits) {
      skipped = looked ? 0 : skipped + 1;
      longest = Math.max(longest, skipped);
    }
    assertEquals(1023, longest);
    assertTrue(waits.subList(waits.size() - 1024, waits.size()).contains(true),
        "still looks now and then, to see a server that became fast");
  }

  @Test
  void theBuilderTakesZeroTo10Milliseconds() {
    RpcClientBuilder builder = RpcClient.builder();
    builder.pollBeforeWaiting(Duration.ZERO).pollBeforeWaiting(Duration.ofMillis(10));
    assertTrue(builder.toString().contains("pollBeforeWaiting=PT0.01S"), builder.toString());
    assertEquals("pollBeforeWaiting must be zero to 10 ms: PT-0.000000001S",
        assertThrows(IllegalArgumentException.class,
            () -> builder.pollBeforeWaiting(Duration.ofNanos(-1))).getMessage());
    assertEquals("pollBeforeWaiting must be zero to 10 ms: PT0.010000001S",
        assertThrows(IllegalArgumentException.class,
            () -> builder.pollBeforeWaiting(Duration.ofNanos(10_000_001))).getMessage());
  }

  /** For each of {@code waits} waits, whether it looked. */
  private List<Boolean> looked(PollBeforeWait poll, int waits) throws Exception {
    List<Boolean> looked = new ArrayList<>();
    for (int i = 0; i < waits; i++) {
      int before = looks;
      poll.arrived(SECOND, call);
      looked.add(looks > before);
    }
    return looked;
  }
}
