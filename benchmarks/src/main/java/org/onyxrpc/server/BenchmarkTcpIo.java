package org.onyxrpc.server;

/**
 * The benchmarks' way to {@link TcpIo#DEDICATED_THREAD}, which is package-private until it keeps
 * every protection of the event loops: issue 19's C → Onyx pair with a thread per connection
 * ({@code CClientRuns}' {@code c-to-onyx-dedicated}). In the benchmarks module only, in this
 * package so as to reach the builder's method without reflection.
 */
public final class BenchmarkTcpIo {
  private BenchmarkTcpIo() {}

  /** {@code builder} with each TCP connection read by a thread of its own. */
  public static RpcServerBuilder dedicatedThread(RpcServerBuilder builder) {
    return builder.tcpIo(TcpIo.DEDICATED_THREAD);
  }
}
