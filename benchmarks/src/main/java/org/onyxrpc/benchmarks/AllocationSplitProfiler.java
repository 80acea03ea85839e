package org.onyxrpc.benchmarks;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Splits the bytes allocated per operation between the two ends of a call:
 * {@code alloc.server.norm} counts the server's threads (told by name: {@link ServerThreads}),
 * {@code alloc.client.norm} every other thread: the JMH worker running the client, the client's
 * I/O threads, and the JVM's and JMH's few service threads. Their sum is, within a few bytes per
 * operation, {@code -prof gc}'s {@code gc.alloc.rate.norm}, the JVM's total for all threads.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'SocketPingPong|Echo' -prof gc \
 *     -prof org.onyxrpc.benchmarks.AllocationSplitProfiler
 * </pre>
 *
 * <p>Per iteration, {@link AllocationWatch} reads each thread's allocation counter before and
 * after, and the sums are divided by every operation of the iteration (JMH's {@code allOps}, as
 * for {@code gc.alloc.rate.norm}; in SampleTime mode too, where the samples are a subset of the
 * operations). Left out: the profiler's own threads, one of them JMH's control thread, which
 * {@code gc.alloc.rate.norm} counts. Limitations: a thread that ends during an iteration (in the
 * last one, the servers' and some clients' threads: the trial's {@code @TearDown} runs inside it)
 * is counted up to its last reading, at most {@link #SAMPLE_MILLIS} before its end; a thread that
 * starts and ends between two readings is not counted.
 */
public final class AllocationSplitProfiler implements InternalProfiler {
  /**
   * How often the counters are read during an iteration, for the threads that end in it: each
   * reading costs microseconds and allocates nothing.
   */
  static final long SAMPLE_MILLIS = 10;

  private final ThreadMXBean threads;
  private AllocationWatch watch;

  /** Fails where the JVM cannot count allocation per thread (HotSpot can). */
  public AllocationSplitProfiler() throws ProfilerException {
    threads = ManagementFactory.getPlatformMXBean(ThreadMXBean.class);
    if (threads == null || !threads.isThreadAllocatedMemorySupported()) {
      throw new ProfilerException("this JVM does not count allocation per thread");
    }
    threads.setThreadAllocatedMemoryEnabled(true);
  }

  @Override
  public String getDescription() {
    return "Bytes allocated per op by server threads and by all others (the client side)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    watch = AllocationWatch.start(threads, SAMPLE_MILLIS);
  }

  @Override
  public Collection<? extends Result<?>> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    AllocationWatch.Split split = watch.stop(ServerThreads::isServer);
    long ops = result.getMetadata().getAllOps();
    return List.of(
        perOp("alloc.server.norm", split.server(), ops),
        perOp("alloc.client.norm", split.client(), ops));
  }

  static ScalarResult perOp(String label, long bytes, long ops) {
    return new ScalarResult(label, ops == 0 ? Double.NaN : (double) bytes / ops, "B/op",
        AggregationPolicy.AVG);
  }
}
