package org.onyxrpc.benchmarks;

import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 * Peer: gRPC-java ({@link GrpcPeers}) making the two-int add. {@link #sync} ~
 * {@link OnyxSyncCall#call}: {@code ClientCalls.blockingUnaryCall}, whose callbacks run on the
 * caller thread (gRPC's ThreadlessExecutor). {@link #pipelined64Chained} ~
 * {@link OnyxPipelined64#chained}: async unary calls, 64 outstanding on the one HTTP/2
 * connection, each completion (on the event loop: direct executor) issuing the next.
 */
@State(Scope.Benchmark)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GrpcCall {
  private GrpcPeers peers;

  @Setup(Level.Trial)
  public void start() throws IOException {
    peers = new GrpcPeers();
  }

  @TearDown(Level.Trial)
  public void stop() {
    peers.close();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public byte[] sync() {
    return ClientCalls.blockingUnaryCall(
        peers.channel, GrpcPeers.ADD, io.grpc.CallOptions.DEFAULT, TwoInts.ARGS);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(OnyxPipelined64.BATCH)
  public void pipelined64Chained() throws InterruptedException {
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
  private final class Chain implements StreamObserver<byte[]> {
    final AtomicInteger toIssue = new AtomicInteger(OnyxPipelined64.BATCH);
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final CountDownLatch done = new CountDownLatch(OnyxPipelined64.BATCH);

    void issue() {
      if (toIssue.getAndDecrement() > 0) {
        ClientCalls.asyncUnaryCall(
            peers.channel.newCall(GrpcPeers.ADD, io.grpc.CallOptions.DEFAULT), TwoInts.ARGS, this);
      }
    }

    @Override
    public void onNext(byte[] result) {}

    @Override
    public void onError(Throwable t) {
      failure.compareAndSet(null, t);
      issue();
      done.countDown();
    }

    @Override
    public void onCompleted() {
      issue();
      done.countDown();
    }
  }
}
