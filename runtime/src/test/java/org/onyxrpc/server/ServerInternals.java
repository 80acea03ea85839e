package org.onyxrpc.server;

/** What tests in other packages may read of a server's internals. */
public final class ServerInternals {
  private ServerInternals() {}

  /** Bytes written to the server's connections and not yet passed to their sockets. */
  public static long pendingWriteBytes(RpcServer server) {
    return server.openConnections().pendingWriteBytes();
  }

  /**
   * Connections a newcomer at {@code maxConnections} may evict now (no call held, every reply
   * passed to the socket), asked on each connection's loop.
   */
  public static int evictable(RpcServer server) {
    return server.openConnections().evictable();
  }

  /** The most bytes of unread replies the server has held at once, as charged to their budget. */
  public static long unreadReplyBytesPeak(RpcServer server) {
    return server.unreadReplyBytesPeak();
  }

  /** Bytes of unread replies the server holds now, as charged to their budget. */
  public static long unreadReplyBytes(RpcServer server) {
    return server.unreadReplyBytes();
  }

  /** The server's open connections. */
  public static int connections(RpcServer server) {
    return server.connections();
  }

  /**
   * How the builder's servers read TCP connections unless told ({@code
   * org.onyxrpc.server.tcpIo}, set by runtime-variants' dedicated-tcp execution): what a test
   * that waits for a call's bookkeeping may wait for differs between the modes.
   */
  public static TcpIo defaultTcpIo() {
    return RpcServer.builder().tcpIo;
  }

  /**
   * Calls the server has read and not yet answered: on an event loop, until the reply is queued
   * on its connection; with {@link TcpIo#DEDICATED_THREAD}, until the kernel has the reply.
   */
  public static int callsInFlight(RpcServer server) {
    return server.callsInFlight();
  }

  /** Whether the server has begun to shut down and reads no more calls. */
  public static boolean draining(RpcServer server) {
    return server.draining();
  }

  /** Whether some connection's TLS handler was refused a read while its writes piled up. */
  public static boolean tlsReadsHeld(RpcServer server) {
    return server.openConnections().tlsReadsHeld();
  }
}
