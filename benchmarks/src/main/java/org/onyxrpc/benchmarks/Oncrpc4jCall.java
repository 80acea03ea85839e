package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.dcache.oncrpc4j.rpc.RpcReply;
import org.dcache.oncrpc4j.rpc.RpcTransport;
import org.dcache.oncrpc4j.xdr.XdrInt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Peer: oncrpc4j ({@link Oncrpc4jPeers}) making the two-int add. {@link #sync} ~
 * {@link OnyxSyncCall#call}: its blocking {@code RpcCall.call(proc, args, result)}.
 * {@link #pipelined64Chained} ~ {@link OnyxPipelined64#chained}: 64 outstanding with its
 * {@code CompletionHandler} form, each completion (on the client's selector thread) issuing the
 * next. (Its {@code CompletableFuture} form is not used: in 3.x the future it returns does not
 * complete for {@code thenApply}/{@code join} chains.)
 */
@State(Scope.Benchmark)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Oncrpc4jCall {
  private Oncrpc4jPeers peers;

  @Setup(Level.Trial)
  public void start() throws IOException {
    peers = new Oncrpc4jPeers();
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    peers.close();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int sync() throws IOException {
    return peers.add();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(OnyxPipelined64.BATCH)
  public void pipelined64Chained() throws Exception {
    Chain chain = new Chain();
    for (int i = 0; i < OnyxPipelined64.WINDOW; i++) {
      chain.issue();
    }
    chain.done.await();
    Throwable t = chain.failure.get();
    if (t != null) {
      throw new IllegalStateException("a call failed", t);
    }
  }

  /** BATCH calls, WINDOW at a time: each completion issues the next until all were issued. */
  private final class Chain implements CompletionHandler<RpcReply, RpcTransport> {
    final AtomicInteger toIssue = new AtomicInteger(OnyxPipelined64.BATCH);
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final CountDownLatch done = new CountDownLatch(OnyxPipelined64.BATCH);

    void issue() {
      if (toIssue.getAndDecrement() > 0) {
        try {
          peers.client.call(AddProgram.ADD.number(), Oncrpc4jPeers.ARGS, this);
        } catch (IOException | RuntimeException e) {
          failed(e, null);
        }
      }
    }

    @Override
    public void completed(RpcReply reply, RpcTransport transport) {
      try {
        XdrInt sum = new XdrInt();
        reply.getReplyResult(sum);
        if (sum.intValue() != 5) {
          failure.compareAndSet(null, new IllegalStateException("2 + 3 = " + sum.intValue()));
        }
      } catch (IOException | RuntimeException e) {
        failure.compareAndSet(null, e);
      }
      issue();
      done.countDown();
    }

    @Override
    public void failed(Throwable t, RpcTransport transport) {
      failure.compareAndSet(null, t);
      issue();
      done.countDown();
    }
  }
}
