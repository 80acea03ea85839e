package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.SharedResource;

/** The renewing thread is shared by the renewals, and goes with the last one stopped. */
class KeepAliveTest {
  private static final long HOUR = TimeUnit.HOURS.toMillis(1);

  @Test
  void theLastRenewalStoppedStopsTheSharedThread() {
    // Its own shared thread: queues other tests left open share the process's.
    SharedResource<ScheduledThreadPoolExecutor> timers = KeepAlive.newTimers();
    KeepAlive first = KeepAlive.start(timers, () -> { }, HOUR);
    KeepAlive second = KeepAlive.start(timers, () -> { }, HOUR);
    ScheduledThreadPoolExecutor shared = timers.acquire();
    timers.release(shared);
    assertEquals(2, timers.users());
    assertEquals(2, first.tasksQueued());

    first.stop();
    assertFalse(shared.isShutdown());
    assertEquals(1, second.tasksQueued());

    second.stop();
    assertTrue(shared.isShutdown());
    assertEquals(0, timers.users());
  }
}
