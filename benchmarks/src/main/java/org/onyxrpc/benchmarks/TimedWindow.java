package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which thread made a run's timed calls, and from when to when on the monotonic clock
 * ({@code CLOCK_MONOTONIC}, which {@link System#nanoTime} reads on Linux): what a scheduler
 * trace recorded with that clock ({@code perf sched record -k CLOCK_MONOTONIC}) is cut to, so
 * that warm-up calls and other pairs' runs stay out of it ({@code benchmarks/sched.sh}).
 *
 * @param pid the calling process's id
 * @param tid the calling thread's id; {@code pid} for a single-threaded C client
 * @param fromNanos when the first timed call started
 * @param toNanos when the last timed call ended
 */
record TimedWindow(long pid, long tid, long fromNanos, long toNanos) {
  /** A window of the calling thread, from {@code fromNanos} to now. */
  static TimedWindow ofThisThreadSince(long fromNanos) throws IOException {
    long to = System.nanoTime();
    return new TimedWindow(ProcessHandle.current().pid(), currentTid(), fromNanos, to);
  }

  /** The kernel's id of the calling thread: {@code /proc/thread-self} links to PID/task/TID. */
  static long currentTid() throws IOException {
    Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
    return Long.parseLong(self.getFileName().toString());
  }
}
