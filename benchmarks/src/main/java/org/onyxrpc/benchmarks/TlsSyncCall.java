package org.onyxrpc.benchmarks;

import java.util.concurrent.TimeUnit;
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
 * What RPC-over-TLS adds to a small call: one thread making blocking {@link AddProgram#ADD} calls
 * over loopback, in plaintext or inside TLS 1.3 through the JDK's provider or OpenSSL
 * ({@link OnyxTlsPeers}); read the p50 of the sample mode. The handshake happens in setup, so
 * this is the cost per call on an established connection.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TlsSyncCall {
  /** plain, or TLS through the {@code jdk} or the {@code openssl} provider. */
  @Param({"plain", "jdk", "openssl"})
  public String tls;

  private OnyxTlsPeers peers;

  @Setup(Level.Trial)
  public void start() throws Exception {
    peers = new OnyxTlsPeers(tls);
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
