package org.onyxrpc.mq.internal.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A caller's connection that a test closes: it runs what the host gave it, as the runtime's
 * {@code CallConnection} does when a connection closes (its actions hand the work to the host's
 * thread, so a call submitted after {@link #close} sees the result).
 */
final class FakePeer implements PeerWatch {
  private final List<Runnable> whileWaiting = new ArrayList<>();
  private final Set<Runnable> onClose = new LinkedHashSet<>();
  private boolean closed;

  @Override
  public synchronized void onGone(Runnable action) {
    whileWaiting.add(action);
  }

  @Override
  public void onConnectionGone(Runnable action) {
    synchronized (this) {
      if (!closed) {
        onClose.add(action);
        return;
      }
    }
    action.run();
  }

  @Override
  public synchronized void forget(Runnable action) {
    onClose.remove(action);
  }

  /** Calls that asked to hear of the close while they wait. */
  synchronized int waitingCalls() {
    return whileWaiting.size();
  }

  /** Reservations that would go back on the close. */
  synchronized int reservations() {
    return onClose.size();
  }

  void close() {
    closing().run();
  }

  /**
   * Closes, and returns what the close runs without running it yet: as the runtime does between
   * taking a connection's actions and running them, when a {@link #forget} finds nothing to withdraw.
   */
  Runnable closing() {
    List<Runnable> due = new ArrayList<>();
    synchronized (this) {
      closed = true;
      due.addAll(whileWaiting);
      due.addAll(onClose);
      whileWaiting.clear();
      onClose.clear();
    }
    return () -> due.forEach(Runnable::run);
  }
}
