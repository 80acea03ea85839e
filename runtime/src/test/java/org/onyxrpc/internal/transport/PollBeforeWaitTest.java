package org.onyxrpc.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A thread's look for input before it sleeps: it ends as input comes, a window that passes with
 * nothing makes the next waits skip their look, so that a slow peer costs next to no CPU, and
 * looks that keep finding input still let the thread sleep now and then.
 */
class PollBeforeWaitTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long WINDOW = 20_000;

  private final Object call = new Object();
  private int looks;

  @Test
  void aZeroWindowNeverLooks() throws Exception {
    PollBeforeWait<Object> poll = new PollBeforeWait<>(0, c -> ++looks > 0);
    assertFalse(poll.arrived(SECOND, call));
    assertEquals(0, looks);
  }

  @Test
  void bytesWithinTheWindowEndTheLook() throws Exception {
    PollBeforeWait<Object> poll = new PollBeforeWait<>(SECOND, c -> ++looks == 3);
    assertTrue(poll.arrived(SECOND, call));
    assertEquals(3, looks);
  }

  @Test
  void theLookEndsWithTheWait() throws Exception {
    // A deadline nearer than the window (a call's) ends the look, as it would the sleep after it.
    PollBeforeWait<Object> poll = new PollBeforeWait<>(SECOND, c -> {
      looks++;
      return false;
    });
    assertFalse(poll.arrived(WINDOW, call));
    assertTrue(looks >= 1);
  }

  @Test
  void windowsWithNothingSkipTheNextWaitsLooksUntilBytesCome() throws Exception {
    boolean[] bytes = {false};
    PollBeforeWait<Object> poll = new PollBeforeWait<>(WINDOW, c -> {
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
    PollBeforeWait<Object> poll = new PollBeforeWait<>(WINDOW, c -> {
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
  void aWaitAfterSixteenLooksThatFoundInputSleepsWithoutOne() throws Exception {
    PollBeforeWait<Object> poll = new PollBeforeWait<>(WINDOW, c -> ++looks > 0);
    List<Boolean> expected = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      expected.addAll(Collections.nCopies(PollBeforeWait.MOST_HITS, true));
      expected.add(false); // a thread that never sleeps is preempted for whole slices
    }
    assertEquals(expected, looked(poll, 2 * (PollBeforeWait.MOST_HITS + 1)));
  }

  @Test
  void aWindowIsZeroTo10Milliseconds() {
    assertEquals(Duration.ZERO, PollBeforeWait.checkedWindow(Duration.ZERO));
    assertEquals(Duration.ofMillis(10), PollBeforeWait.checkedWindow(Duration.ofMillis(10)));
    assertEquals("pollBeforeWaiting must be zero to 10 ms: PT-0.000000001S",
        assertThrows(IllegalArgumentException.class,
            () -> PollBeforeWait.checkedWindow(Duration.ofNanos(-1))).getMessage());
    assertEquals("pollBeforeWaiting must be zero to 10 ms: PT0.010000001S",
        assertThrows(IllegalArgumentException.class,
            () -> PollBeforeWait.checkedWindow(Duration.ofNanos(10_000_001))).getMessage());
  }

  /** For each of {@code waits} waits, whether it looked. */
  private List<Boolean> looked(PollBeforeWait<Object> poll, int waits) throws Exception {
    List<Boolean> looked = new ArrayList<>();
    for (int i = 0; i < waits; i++) {
      int before = looks;
      poll.arrived(SECOND, call);
      looked.add(looks > before);
    }
    return looked;
  }
}
