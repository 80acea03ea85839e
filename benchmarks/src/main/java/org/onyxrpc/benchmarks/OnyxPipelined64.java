package org.onyxrpc.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 64 Onyx calls outstanding on one connection, closed loop; the score is calls per second. Two
 * ways to keep the window full, each matched by a method of {@link NettyPingPong}:
 *
 * <ul>
 *   <li>{@link #chained}: each completion issues the next call from the callback, that is from the
 *       client's I/O thread (no thread hand-off on the way out);
 *   <li>{@link #semaphore}: the benchmark thread issues calls as fast as a {@code Semaphore(64)}
 *       lets it, and completions release permits: every call crosses from the caller thread to
 *       the event loop, as calls from application threads do.
 * </ul>
 *
 * <p>{@code server=onyx} is the benchmark proper; {@code server=c} is the same client against the
 * C reference server ({@link CServer}: rpcgen and libtirpc), which reads the pipelined calls of a
 * connection one by one and answers each in turn. There is no C client counterpart: an rpcgen
 * client handle makes one call at a time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OnyxPipelined64 {
  /** Calls outstanding at once. */
  public static final int WINDOW = 64;
  /** Calls per {@link #chained} invocation: the start-up and drain of the window cost ~1/64 of it. */
  public static final int BATCH = WINDOW * 64;

  /**
   * Who does the client's I/O. {@code EVENT_LOOP}, the default, is the configuration for many
   * outstanding calls; {@code CALLER_RUNS} shows what it costs them (its background reader reads,
   * and each call is written by the thread that makes it).
   */
  @Param({"EVENT_LOOP", "CALLER_RUNS"})
  public IoStrategy io;

  /** Who answers: the Onyx server or the C reference server. */
  @Param({"onyx", "c"})
  public String server;

  private AutoCloseable serverInstance;
  private RpcClient client;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Semaphore window = new Semaphore(WINDOW);
  private final BiConsumer<Integer, Throwable> release = (sum, t) -> {
    if (t != null) {
      failure.compareAndSet(null, t);
    }
    window.release();
  };

  @Setup(Level.Trial)
  public void start() throws Exception {
    int port;
    if (server.equals("c")) {
      CServer c = CServer.start(CPeers.build());
      serverInstance = c;
      port = c.tcpPort();
    } else {
      RpcServer onyx = OnyxPeers.startServer();
      serverInstance = onyx;
      port = onyx.port();
    }
    try {
      client = OnyxPeers.connectedClient(port, io);
    } catch (RuntimeException e) {
      serverInstance.close(); // JMH runs no teardown after a failed setup
      throw e;
    }
  }

  @TearDown(Level.Iteration)
  public void drain() throws InterruptedException {
    window.acquire(WINDOW);
    window.release(WINDOW);
    Throwable t = failure.getAndSet(null);
    if (t != null) {
      throw new IllegalStateException("a call failed", t);
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    client.close();
    serverInstance.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void chained() throws InterruptedException {
    Chain chain = new Chain(client, failure);
    for (int i = 0; i < WINDOW; i++) {
      chain.issue();
    }
    chain.done.await();
  }

  @Benchmark
  public void semaphore() throws InterruptedException {
    window.acquire();
    client.callAsync(AddProgram.ADD, AddProgram.ARGS).whenComplete(release);
  }

  /** BATCH calls, WINDOW at a time: each completion issues the next until all were issued. */
  private static final class Chain implements BiConsumer<Integer, Throwable> {
    private final RpcClient client;
    private final AtomicReference<Throwable> failure;
    private final AtomicInteger toIssue = new AtomicInteger(BATCH);
    final CountDownLatch done = new CountDownLatch(BATCH);

    Chain(RpcClient client, AtomicReference<Throwable> failure) {
      this.client = client;
      this.failure = failure;
    }

    void issue() {
      if (toIssue.getAndDecrement() > 0) {
        client.callAsync(AddProgram.ADD, AddProgram.ARGS).whenComplete(this);
      }
    }

    @Override
    public void accept(Integer sum, Throwable t) {
      if (t != null) {
        failure.compareAndSet(null, t);
      }
      issue();
      done.countDown();
    }
  }
}
