package org.onyxrpc.mq.internal.server;

import org.onyxrpc.server.CallConnection;
import org.onyxrpc.server.CallContext;

/**
 * How the host learns that a caller went (its connection closed): the runtime's {@code
 * CallContext.onConnectionClosed} for a call that waits, and {@code CallConnection.onClose} for a
 * message reserved for it, which outlives the receive that reserved it. Otherwise a call parked
 * for a caller who can no longer read its reply would hold its place, its bytes or the message
 * reserved for it until its deadline, its handle's lease or its reservation's lease.
 */
public interface PeerWatch {
  /** Callers that nothing watches (in-process callers, tests): what they hold ends by its lease. */
  PeerWatch NONE = new PeerWatch() {
    @Override
    public void onGone(Runnable action) {}

    @Override
    public void onConnectionGone(Runnable action) {}

    @Override
    public void forget(Runnable action) {}
  };

  /** Runs {@code action} once, quickly and on any thread, if the caller goes before the call ends. */
  void onGone(Runnable action);

  /**
   * Runs {@code action} once, quickly and on any thread, when the caller's connection closes, even
   * after the call ended; at once if it has closed already; until {@link #forget}.
   */
  void onConnectionGone(Runnable action);

  /** Withdraws an action given to {@link #onConnectionGone}. */
  void forget(Runnable action);

  /** The watch of a call that came over the runtime: its connection's, none for UDP. */
  static PeerWatch of(CallContext call) {
    CallConnection connection = call.connection();
    return new PeerWatch() {
      @Override
      public void onGone(Runnable action) {
        call.onConnectionClosed(action);
      }

      @Override
      public void onConnectionGone(Runnable action) {
        connection.onClose(action);
      }

      @Override
      public void forget(Runnable action) {
        connection.removeOnClose(action);
      }
    };
  }
}
