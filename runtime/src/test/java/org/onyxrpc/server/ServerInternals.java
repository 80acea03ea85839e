package org.onyxrpc.server;

/** What tests in other packages may read of a server's internals. */
public final class ServerInternals {
  private ServerInternals() {}

  /** Bytes written to the server's connections and not yet passed to their sockets. */
  public static long pendingWriteBytes(RpcServer server) {
    return server.pendingWriteBytes();
  }

  /** Whether some connection's TLS handler was refused a read while its writes piled up. */
  public static boolean tlsReadsHeld(RpcServer server) {
    return server.tlsReadsHeld();
  }
}
