package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.client.ClientCall;
import org.onyxrpc.client.ClientInterceptor;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.server.ServerCall;
import org.onyxrpc.server.ServerInterceptor;
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
 * What interceptors cost: {@link OnyxSyncCall#call} with {@code interceptors=none}, the plain
 * client and server, which must score as {@code OnyxSyncCall} does (no interceptor installed
 * costs nothing: no per-call object, no extra call; compare {@code gc.alloc.rate.norm} with
 * {@code -prof gc}), against {@code one-each}: one client and one server interceptor that do
 * nothing, which shows the price of the per-call {@code ClientCall}/{@code ServerCall}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OnyxIntercepted {
  /** {@code none}: no interceptor; {@code one-each}: a no-op interceptor on client and server. */
  @Param({"none", "one-each"})
  public String interceptors;

  @Param({"CALLER_RUNS", "EVENT_LOOP"})
  public IoStrategy io;

  private OnyxPeers peers;

  /** Observes start and close and does nothing with them. */
  private static final class Noop implements ClientInterceptor, ServerInterceptor {
    @Override
    public void onStart(ClientCall call) {}

    @Override
    public void onClose(ClientCall call) {}

    @Override
    public void onStart(ServerCall call) {}

    @Override
    public void onClose(ServerCall call) {}
  }

  @Setup(Level.Trial)
  public void start() throws IOException {
    Noop noop = new Noop();
    peers = interceptors.equals("one-each") ? new OnyxPeers(io, noop, noop) : new OnyxPeers(io);
  }

  @TearDown(Level.Trial)
  public void stop() {
    peers.close();
  }

  @Benchmark
  public int call() {
    return peers.client.call(AddProgram.ADD, AddProgram.ARGS);
  }
}
