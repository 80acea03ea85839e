package org.onyxrpc.client;

import java.io.IOException;

/**
 * The reading side of a caller-runs connection (TCP records or UDP datagrams), used only by
 * whoever holds its {@link ReadTurn}, through {@link LeaderFollowers}.
 */
interface TurnReader {
  /**
   * Waits up to {@code waitNanos} for bytes, then reads what came and completes the replies in
   * it; it may stop early once {@code call} is done, leaving the rest to the turn's next holder.
   */
  void readOnce(long waitNanos, PendingCall<?, ?> call) throws IOException;

  /** Reads what has arrived, without waiting; throws when the socket is gone. */
  void readAvailable() throws IOException;

  /** Ends a wait for bytes in progress, or makes the next one return at once. */
  void wakeup();

  /** Frees the buffers; only by the turn's holder, once the connection is closed. */
  void freeBuffers();
}
