package org.onyxrpc.benchmarks;

import com.sun.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * What every thread allocates between {@link #start} and {@link #stop}, split between server
 * threads and the rest. The thread that starts the watch (the profiler's) is left out.
 *
 * <p>A thread's counter can only be read while it lives, and JMH runs the trial's
 * {@code @TearDown}, which closes the servers, inside the last iteration. So the counters of the
 * threads alive at the start are read again every {@code periodMillis} by a sampler thread,
 * without allocating: a thread that ends during the watch counts up to its last reading, missing
 * at most its last {@code periodMillis} of life. Limitation: a thread both started and ended between two
 * readings is not counted at all (threads started during the watch count from 0).
 */
final class AllocationWatch {
  /** Bytes allocated during the watch by server threads and by all other threads. */
  record Split(long server, long client) {}

  private final ThreadMXBean threads;
  private final long owner = Thread.currentThread().getId();
  private final ThreadAllocations start;
  /** The latest reading of each thread of {@link #start}, kept once it has ended. */
  private final long[] latest;
  private final Thread sampler;
  private volatile boolean stopping;
  /** Readings completed; one thread reads at a time (the sampler, then {@link #stop}'s caller). */
  private volatile long readings;

  private AllocationWatch(ThreadMXBean threads, long periodMillis) {
    this.threads = threads;
    this.start = ThreadAllocations.take(threads);
    this.latest = start.bytes.clone();
    this.sampler = periodMillis <= 0 ? null : new Thread(() -> {
      while (!stopping) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(periodMillis));
        sample();
      }
    }, "allocation-split-sampler");
  }

  /** Reads every live thread's counter, then again every {@code periodMillis} (0: never). */
  static AllocationWatch start(ThreadMXBean threads, long periodMillis) {
    AllocationWatch watch = new AllocationWatch(threads, periodMillis);
    if (watch.sampler != null) {
      watch.sampler.setDaemon(true);
      watch.sampler.start();
    }
    return watch;
  }

  /** Reads again the counter of each thread alive at the start that is still alive. */
  void sample() {
    for (int i = 0; i < latest.length; i++) {
      long bytes = threads.getThreadAllocatedBytes(start.ids[i]);
      if (bytes >= 0) {
        latest[i] = bytes;
      }
    }
    readings++;
  }

  /** How many readings {@link #sample} has completed (tests wait on it rather than on time). */
  long readings() {
    return readings;
  }

  /** Stops the sampler and splits what each thread allocated, by {@code isServer} on its name. */
  Split stop(Predicate<String> isServer) {
    if (sampler != null) {
      stopping = true;
      LockSupport.unpark(sampler);
      joinSampler();
    }
    sample();
    ThreadAllocations end = ThreadAllocations.take(threads);
    Map<Long, Integer> startIndex = new HashMap<>(start.ids.length * 2);
    for (int i = 0; i < start.ids.length; i++) {
      startIndex.put(start.ids[i], i);
    }
    long[] split = new long[2]; // server, client
    for (int i = 0; i < end.ids.length; i++) {
      Integer s = startIndex.remove(end.ids[i]);
      long before = s == null ? 0 : start.bytes[s];
      add(split, end.ids[i], isServer.test(end.names[i]), end.bytes[i] - before);
    }
    for (int s : startIndex.values()) { // ended during the watch: up to its last reading
      add(split, start.ids[s], isServer.test(start.names[s]), latest[s] - start.bytes[s]);
    }
    return new Split(split[0], split[1]);
  }

  private void add(long[] split, long thread, boolean server, long bytes) {
    boolean profiler = thread == owner || sampler != null && thread == sampler.getId();
    if (!profiler) {
      split[server ? 0 : 1] += bytes;
    }
  }

  private void joinSampler() {
    try {
      sampler.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
