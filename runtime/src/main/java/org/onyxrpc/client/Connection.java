package org.onyxrpc.client;

/** One connection (TCP) or connected socket (UDP) to the server, however its I/O is done. */
interface Connection {
  /**
   * Encodes and writes one transmission of {@code call}. Returns false, having written nothing,
   * if the connection is closed; a call that cannot be encoded is failed and removed.
   */
  boolean transmit(PendingCall<?, ?> call);

  /** Whether calls can still be written. */
  boolean isActive();

  /** Closes the connection; the client's loss handler runs once. */
  void close();
}
