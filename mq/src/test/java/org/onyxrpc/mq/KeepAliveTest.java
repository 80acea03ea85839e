package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The renewing thread is shared by the renewals, and goes with the last one stopped. */
class KeepAliveTest {
  private static final long HOUR = TimeUnit.HOURS.toMillis(1);

  @Test
  void theLastRenewalStoppedStopsTheSharedThread() {
    assertEquals(0, KeepAlive.TIMER.users(), "a handle of another test left open");
    KeepAlive first = KeepAlive.start(() -> { }, HOUR);
    KeepAlive second = KeepAlive.start(() -> { }, HOUR);
    ScheduledThreadPoolExecutor shared = KeepAlive.TIMER.acquire();
    KeepAlive.TIMER.release(shared);
    assertEquals(2, KeepAlive.TIMER.users());
    assertEquals(2, first.tasksQueued());

    first.stop();
    assertFalse(shared.isShutdown());
    assertEquals(1, second.tasksQueued());

    second.stop();
    assertTrue(shared.isShutdown());
    assertEquals(0, KeepAlive.TIMER.users());
  }
}
