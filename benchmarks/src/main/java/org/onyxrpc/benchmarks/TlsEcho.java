package org.onyxrpc.benchmarks;

import java.util.Random;
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
 * What RPC-over-TLS costs in bulk: one thread echoing {@code size} bytes with {@link
 * AddProgram#ECHO}, one call at a time, in plaintext or inside TLS 1.3 through the JDK's provider
 * or OpenSSL ({@link OnyxTlsPeers}). The score is calls per second, so payload MiB/s each way =
 * score × size / 2^20; the ratio of a TLS score to the plaintext one is what TLS costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TlsEcho {
  /** plain, or TLS through the {@code jdk} or the {@code openssl} provider. */
  @Param({"plain", "jdk", "openssl"})
  public String tls;

  @Param({"1048576"})
  public int size;

  private OnyxTlsPeers peers;
  private byte[] data;

  @Setup(Level.Trial)
  public void start() throws Exception {
    data = new byte[size];
    new Random(size).nextBytes(data);
    peers = new OnyxTlsPeers(tls);
    if (echo() != size) {
      throw new IllegalStateException(tls + " echoed a different length");
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    peers.close();
  }

  @Benchmark
  public int echo() {
    return peers.client.call(AddProgram.ECHO, data).length;
  }
}
