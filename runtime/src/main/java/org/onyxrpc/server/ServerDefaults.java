package org.onyxrpc.server;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The defaults of {@link RpcServerBuilder}'s settings that are not its public constants: fixed
 * ones (its setters' Javadoc states them), those that depend on the machine (its processors and
 * memory), and {@link RpcServerBuilder#tcpIo}'s, which a system property may set.
 */
final class ServerDefaults {
  private ServerDefaults() {}

  /**
   * The system property whose value ({@code EVENT_LOOP} or {@code DEDICATED_THREAD}) is the
   * default of {@link RpcServerBuilder#tcpIo}.
   */
  static final String TCP_IO_PROPERTY = "org.onyxrpc.server.tcpIo";
  static final int MAX_CONNECTIONS = 1024;
  static final int MAX_CONCURRENT_CALLS_PER_CONNECTION = 128;
  static final Duration RECORD_TIMEOUT = Duration.ofSeconds(30);
  static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The default of tcpIo, read from a system property, as the client's ioStrategy is: a test run
   * can serve every TCP connection on threads of their own (runtime-variants/pom.xml's
   * dedicated-tcp execution).
   */
  static TcpIo tcpIo() {
    return TcpIo.valueOf(System.getProperty(TCP_IO_PROPERTY, TcpIo.EVENT_LOOP.name()));
  }

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

  /** The default of maxBufferedBytes, of this JVM's direct memory limit. */
  static long maxBufferedBytes() {
    return defaultMaxBufferedBytes(PlatformDependent.maxDirectMemory());
  }

  /** A quarter of {@code maxDirectMemory} at most: both budgets (records, replies) spent leave half. */
  static long defaultMaxBufferedBytes(long maxDirectMemory) {
    return maxDirectMemory <= 0 ? RpcServerBuilder.DEFAULT_MAX_BUFFERED_BYTES
        : Math.max(1, Math.min(RpcServerBuilder.DEFAULT_MAX_BUFFERED_BYTES, maxDirectMemory / 4));
  }

  /** The default of maxDecodedBytesInFlight: a quarter of the maximum heap. */
  static long maxDecodedBytesInFlight() {
    return Runtime.getRuntime().maxMemory() / 4;
  }

  /** The default of maxConcurrentCalls: threads of the default pool, runners on a given executor. */
  static int defaultThreads() {
    return Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
  }
}
