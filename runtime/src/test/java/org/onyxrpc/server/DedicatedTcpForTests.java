package org.onyxrpc.server;

/**
 * For tests outside this package: {@link TcpIo#DEDICATED_THREAD}, which users cannot reach until
 * it keeps every protection of the event-loop path.
 */
public final class DedicatedTcpForTests {
  private DedicatedTcpForTests() {}

  /** {@code builder} with its TCP connections read by threads of their own. */
  public static RpcServerBuilder dedicatedTcp(RpcServerBuilder builder) {
    return builder.tcpIo(TcpIo.DEDICATED_THREAD);
  }
}
