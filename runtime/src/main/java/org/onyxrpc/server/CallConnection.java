package org.onyxrpc.server;

import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection a call came on, as far as its procedure may watch it: whether it has closed, so
 * that a call waiting for something (an asynchronous procedure's stage still open) can give up what
 * it holds for a caller who can no longer read the reply. Procedures register through {@link
 * CallContext#onConnectionClosed}; one object serves all the calls of a connection, and costs a
 * call nothing unless its procedure registers.
 *
 * <p>Datagrams (UDP) have no connection: their calls get {@link #none()}, which never closes.
 */
public final class CallConnection {
  private static final Logger LOG = LoggerFactory.getLogger(CallConnection.class);
  private static final RateLimitedLog FAILURES = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private static final CallConnection NONE = new CallConnection(false);

  /** One procedure's wish to hear of the close, for the call it serves. */
  private record Watcher(CallContext call, Runnable action) {}

  private final boolean closes;
  private List<Watcher> watchers; // guarded by this; null until a procedure registers
  private boolean closed; // guarded by this
  /** Calls with watchers: read without the lock when a call ends, so most calls take none. */
  private volatile int watched;

  private CallConnection(boolean closes) {
    this.closes = closes;
  }

  /** A connection that can close: one per connection, made by the server. */
  static CallConnection open() {
    return new CallConnection(true);
  }

  /**
   * For calls without a connection (UDP, or a context made by hand).
   *
   * @return the one connection that never closes
   */
  public static CallConnection none() {
    return NONE;
  }

  /**
   * True once the peer has gone: the connection closed or reset, or the peer shut down its side
   * (see {@link CallContext#onConnectionClosed}).
   *
   * @return whether the peer has gone; always false for {@link #none()}
   */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** Runs {@code action} when the connection closes while {@code call} is unanswered; see there. */
  void register(CallContext call, Runnable action) {
    if (!closes) {
      return;
    }
    synchronized (this) {
      if (!closed) {
        if (watchers == null) {
          watchers = new ArrayList<>(4);
        }
        watchers.add(new Watcher(call, action));
        watched = watchers.size();
        return;
      }
    }
    run(action); // closed already: at once, on the caller's thread
  }

  /** {@code call} is answered: what it registered will not run. */
  void callEnded(CallContext call) {
    if (watched == 0) {
      return; // the common case: no procedure of this connection asked
    }
    synchronized (this) {
      if (watchers != null) {
        watchers.removeIf(w -> w.call() == call);
        watched = watchers.size();
      }
    }
  }

  /** The peer went: runs every registered action once, on this (the I/O) thread. */
  void close() {
    List<Watcher> due;
    synchronized (this) {
      if (closed || !closes) {
        return;
      }
      closed = true;
      due = watchers;
      watchers = null;
      watched = 0;
    }
    if (due != null) {
      for (Watcher w : due) {
        run(w.action());
      }
    }
  }

  private static void run(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) { // one procedure's bug stops neither the others' actions nor the close
      FAILURES.warn(LOG, "an action run on a connection's close failed: {}", e.toString());
    }
  }
}
