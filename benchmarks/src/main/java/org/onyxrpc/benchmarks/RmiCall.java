package org.onyxrpc.benchmarks;

import java.rmi.RemoteException;
import java.util.concurrent.TimeUnit;
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
 * Peer: Java RMI ({@link RmiPeers}) making the two-int add, ~ {@link OnyxSyncCall#call}. RMI calls
 * are synchronous only (a connection carries one call at a time), so it has no 64-outstanding row.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RmiCall {
  private RmiPeers peers;

  @Setup(Level.Trial)
  public void start() throws RemoteException {
    peers = new RmiPeers();
  }

  @TearDown(Level.Trial)
  public void stop() throws RemoteException {
    peers.close();
  }

  @Benchmark
  public int sync() throws RemoteException {
    return peers.stub.add(AddProgram.ARGS.a(), AddProgram.ARGS.b());
  }
}
