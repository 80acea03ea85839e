package org.onyxrpc.server;

import java.util.concurrent.TimeUnit;

/** What the server's threads of their own (UDP sockets', TCP connections') share. */
final class DedicatedThreads {
  private DedicatedThreads() {}

  /**
   * Waits until {@code deadline} ({@link System#nanoTime}) at most, and at least a millisecond,
   * for {@code thread} to end once its socket is closed: it does not while a procedure run on it
   * under a direct executor blocks, and is left to end on its own then. Not on itself.
   */
  static void awaitEnd(Thread thread, long deadline) {
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
