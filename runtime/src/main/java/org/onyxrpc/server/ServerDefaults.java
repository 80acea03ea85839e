package org.onyxrpc.server;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The defaults of {@link RpcServerBuilder} that depend on the machine: its processors and memory. */
final class ServerDefaults {
  private ServerDefaults() {}

  /**
   * A fixed pool of {@code threads} for blocking procedures. Its queue holds no calls, only the
   * {@link FairScheduler}'s runners (at most one per thread); calls wait in their connection's
   * lane, bounded by maxConcurrentCallsPerConnection.
   */
  static ExecutorService newDefaultExecutor(int threads) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), new DefaultThreadFactory("onyx-server-call", true));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** A quarter of {@code maxDirectMemory} at most: both budgets (records, replies) spent leave half. */
  static long defaultMaxBufferedBytes(long maxDirectMemory) {
    return maxDirectMemory <= 0 ? RpcServerBuilder.DEFAULT_MAX_BUFFERED_BYTES
        : Math.max(1, Math.min(RpcServerBuilder.DEFAULT_MAX_BUFFERED_BYTES, maxDirectMemory / 4));
  }

  /** The default of maxConcurrentCalls: threads of the default pool, runners on a given executor. */
  static int defaultThreads() {
    return Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
  }
}
