package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.server.RpcServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What at-most-once costs: {@link OnyxSyncCall#call} ({@code io=CALLER_RUNS}, the fastest sync
 * configuration, where a fixed cost weighs most) with the call's semantics overridden per call. {@code AT_MOST_ONCE} (the runtime's default) adds a 36-byte call tag to the verifier and
 * runs the call through the server's duplicate request cache (default size: 65,536 replies, so a
 * run of this length measures a full cache that evicts); the client's one-time NULL-ping probe of
 * the server happens in setup. {@code MAYBE} is the plain call of every other benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OnyxAtMostOnce {
  @Param({"MAYBE", "AT_MOST_ONCE"})
  public CallSemantics semantics;

  private RpcServer server;
  private RpcClient client;
  private CallOptions options;

  @Setup(Level.Trial)
  public void start() throws IOException {
    server = OnyxPeers.startServer();
    client = OnyxPeers.connectedClient(server.port(), IoStrategy.CALLER_RUNS);
    options = CallOptions.DEFAULT.withSemantics(semantics);
    if (call() != 5) { // AT_MOST_ONCE: the probe, outside the measurement
      throw new IllegalStateException("2 + 3 != 5");
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    client.close();
    server.close();
  }

  @Benchmark
  public int call() {
    return client.call(AddProgram.ADD, AddProgram.ARGS, options);
  }
}
