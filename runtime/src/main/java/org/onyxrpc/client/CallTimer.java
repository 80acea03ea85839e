package org.onyxrpc.client;

/**
 * The client's clock: what time it is, and a task to run after a delay. Each call outstanding
 * has one timer, armed for its next retransmission or its deadline, whichever comes first, and
 * cancelled when it is answered; nothing runs while no call waits. Tests inject a manual clock
 * and advance it, instead of sleeping.
 */
interface CallTimer {
  /** Now, in nanoseconds of an arbitrary origin (as {@link System#nanoTime}). */
  long nanoTime();

  /** Runs {@code task} once {@code delayNanos} have passed, unless cancelled first. */
  Cancellable schedule(Runnable task, long delayNanos);

  /** A scheduled task. */
  interface Cancellable {
    void cancel();
  }
}
