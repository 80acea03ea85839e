package org.onyxrpc.client;

import io.netty.util.Timeout;
import io.netty.util.TimerTask;

/**
 * The client's clock: what time it is, and a task to run after a delay. Each call outstanding
 * has one timer, armed for its next retransmission or its deadline, whichever comes first, and
 * cancelled when it is answered; nothing runs while no call waits. The call is its own task
 * ({@link PendingCall} is a {@link TimerTask}), so arming costs one timeout and no wrapper.
 * Tests inject a manual clock and advance it, instead of sleeping.
 */
interface CallTimer {
  /** Now, in nanoseconds of an arbitrary origin (as {@link System#nanoTime}). */
  long nanoTime();

  /** Runs {@code task} once {@code delayNanos} have passed, unless its timeout is cancelled first. */
  Timeout schedule(TimerTask task, long delayNanos);
}
