package org.onyxrpc.benchmarks;

import java.util.concurrent.TimeUnit;
import org.apache.thrift.TException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Peer: Apache Thrift ({@link ThriftPeers}) making the two-int add, ~ {@link OnyxSyncCall#call}.
 * A Thrift client connection carries one call at a time (the blocking client matches replies by
 * order), so it has no 64-outstanding row.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ThriftCall {
  private ThriftPeers peers;

  @Setup(Level.Trial)
  public void start() throws TException, InterruptedException {
    peers = new ThriftPeers();
  }

  @TearDown(Level.Trial)
  public void stop() {
    peers.close();
  }

  @Benchmark
  public int sync() throws TException {
    return peers.add(AddProgram.ARGS.a(), AddProgram.ARGS.b());
  }
}
