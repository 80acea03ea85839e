package org.onyxrpc.server;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link StalledPeerClose} for a connection whose replies are written in blocking writes ({@link
 * BlockingTcpConnection}), where a call is not done until its reply is with the kernel, so a
 * peer that stops taking its replies would hold a shutting-down server's drain for the whole
 * shutdown timeout: while the server drains, every {@code period} a reply being written must
 * have gone on (a piece of it taken by the kernel) since the last look, or the peer is taken
 * for stalled and closed, which fails the write and ends its call. A peer that reads, however
 * slowly, gets its replies whole within the shutdown timeout.
 */
final class StalledWriteClose {
  /** What the watch reads of a connection: its reply writes, and how to close it. */
  interface Writes {
    boolean open();

    /** Whether a reply is being written now. */
    boolean writing();

    /** Bytes of replies the kernel has taken so far: goes up as a reply's pieces are written. */
    long written();

    void close();
  }

  private StalledWriteClose() {}

  /** Starts watching {@code writes} on {@code timers}, until it closes. */
  static void watch(Writes writes, ScheduledExecutorService timers, Duration period) {
    schedule(writes, timers, period, writes.writing(), writes.written());
  }

  private static void check(Writes writes, ScheduledExecutorService timers, Duration period,
      boolean wasWriting, long before) {
    if (!writes.open()) {
      return;
    }
    boolean writing = writes.writing();
    long written = writes.written();
    if (wasWriting && writing && written == before) {
      writes.close(); // a whole period on the same piece: the peer takes nothing
      return;
    }
    schedule(writes, timers, period, writing, written);
  }

  private static void schedule(Writes writes, ScheduledExecutorService timers, Duration period,
      boolean writing, long written) {
    try {
      timers.schedule(() -> check(writes, timers, period, writing, written), period.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // the timers end with the server, which closes its connections then
    }
  }
}
