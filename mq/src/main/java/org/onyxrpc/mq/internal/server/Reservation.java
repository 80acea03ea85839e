package org.onyxrpc.mq.internal.server;

import java.util.concurrent.ScheduledFuture;

/**
 * A message handed to a receiver and not yet committed; it goes back to its place when released,
 * when its lease ends, or when the connection of the receiver it was handed to closes. Touched
 * only by the host's owner thread.
 */
final class Reservation {
  final StoredMessage message;
  private final ScheduledFuture<?> lease;
  private PeerWatch peer = PeerWatch.NONE;
  private Runnable gone;

  /**
   * @param message the message
   * @param lease the timer that puts it back
   */
  Reservation(StoredMessage message, ScheduledFuture<?> lease) {
    this.message = message;
    this.lease = lease;
  }

  /**
   * Runs {@code whenGone} if the connection {@code peer} watches closes while the reservation
   * lasts; the connection watched before, if any, no longer matters (a receive sent again over a
   * new connection finds its reservation, which is now that connection's).
   */
  void watch(PeerWatch peer, Runnable whenGone) {
    stopWatching();
    this.peer = peer;
    this.gone = whenGone;
    peer.onConnectionGone(whenGone);
  }

  /** Whether it still waits for the close that {@code peer} watches. */
  boolean watchedBy(PeerWatch peer) {
    return this.peer == peer;
  }

  /** Taken or back: neither its lease nor its receiver's connection matters any more. */
  void end() {
    lease.cancel(false);
    stopWatching();
  }

  private void stopWatching() {
    if (gone != null) {
      peer.forget(gone);
      gone = null;
    }
  }
}
