package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.testing.Await;
import org.onyxrpc.server.DuplicateRequestCache.Key;
import org.onyxrpc.server.DuplicateRequestCache.Verdict;

/**
 * A retransmission of a call whose reply was too large to keep: dropped over the connection the
 * call was answered on, still open (the reply goes out there), "outcome unknown" over any other,
 * over none (UDP), and once that connection has closed (the reply was lost with it).
 */
class DuplicateRequestCacheSameConnectionTest {
  private static final long EPOCH = 15;
  private static final Key KEY = new Key(3, 3, null, 40, 1, 1, 1, 0);

  private final DuplicateRequestCache cache =
      new DuplicateRequestCache(16, 64, Duration.ofMinutes(1), () -> 0L);

  private Verdict retransmitted(int attempt, CallConnection over) {
    return cache.begin(KEY, new CallTag(3, 3, true, attempt, EPOCH), EPOCH, "peer", over).verdict();
  }

  /** Runs {@link #KEY} over {@code over} and answers it there with a reply the cache cannot keep. */
  private void ranAndAnswered(CallConnection over) {
    assertEquals(Verdict.EXECUTE, retransmitted(1, over));
    over.replying(KEY);
    cache.complete(KEY, new byte[1024]);
    assertEquals(0, cache.replies(), "too large to keep");
  }

  @Test
  void overItsOwnOpenConnectionItWaitsForTheReply() {
    CallConnection own = CallConnection.open();
    ranAndAnswered(own);
    assertEquals(Verdict.IN_PROGRESS, retransmitted(2, own));
    assertEquals(Verdict.IN_PROGRESS, retransmitted(3, own));
    assertEquals(2, cache.inProgressDropped.sum());
    assertEquals(0, cache.outcomeUnknown.sum());
  }

  @Test
  void overAnotherConnectionOrNoneItsOutcomeIsUnknown() {
    CallConnection own = CallConnection.open();
    ranAndAnswered(own);
    assertEquals(Verdict.OUTCOME_UNKNOWN, retransmitted(2, CallConnection.open()));
    assertEquals(Verdict.OUTCOME_UNKNOWN, retransmitted(2, CallConnection.none()));
    assertEquals(Verdict.OUTCOME_UNKNOWN, retransmitted(2, null));
    own.close();
    assertEquals(Verdict.OUTCOME_UNKNOWN, retransmitted(3, own), "closed: its reply was lost");
    assertEquals(4, cache.outcomeUnknown.sum());
  }

  @Test
  void aConnectionRemembersItsLatestReplies() {
    CallConnection own = CallConnection.open();
    ranAndAnswered(own);
    for (int i = 0; i < RepliedCalls.MAX; i++) {
      own.replying(new Key(3, 3, null, 100 + i, 1, 1, 1, 0));
    }
    assertEquals(Verdict.OUTCOME_UNKNOWN, retransmitted(2, own), "forgotten: bounded per connection");
  }

  /**
   * After its first, a connection's replies are recorded without its monitor, which procedures
   * that watch the connection take too: a reply recorded while another thread holds it is not
   * held up. Before, every at-most-once reply took the monitor (a thread recording one here
   * blocked until the monitor was let go).
   */
  @Test
  void recordingAReplyTakesNoLockAfterTheFirst() throws Exception {
    CallConnection own = CallConnection.open();
    ranAndAnswered(own);
    Key later = new Key(3, 3, null, 41, 1, 1, 1, 0);
    Thread replier = new Thread(() -> own.replying(later), "replier");
    synchronized (own) {
      replier.start();
      // Either it ends, or it waits for this monitor: whichever comes first tells. Blocked on
      // another monitor (a class loader's, loading what it runs) is neither.
      Await.until(() -> replier.getState() == Thread.State.TERMINATED || blockedOn(replier, own));
      assertEquals(Thread.State.TERMINATED, replier.getState(), "recording the reply waited for the monitor");
    }
    replier.join();
    assertTrue(own.replied(later), "recorded all the same");
    assertEquals(Verdict.IN_PROGRESS, retransmitted(2, own), "and the first kept");
  }

  private static boolean blockedOn(Thread thread, Object monitor) {
    ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(thread.getId());
    LockInfo lock = info == null ? null : info.getLockInfo();
    return info != null && info.getThreadState() == Thread.State.BLOCKED && lock != null
        && lock.getIdentityHashCode() == System.identityHashCode(monitor);
  }
}
