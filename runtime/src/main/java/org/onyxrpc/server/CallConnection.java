package org.onyxrpc.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.onyxrpc.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection a call came on, as far as its procedure may watch it: whether it has closed, so
 * that a call waiting for something (an asynchronous procedure's stage still open) can give up what
 * it holds for a caller who can no longer read the reply. Procedures register through {@link
 * CallContext#onConnectionClosed}; one object serves all the calls of a connection, and costs a
 * call nothing unless its procedure registers. What a procedure keeps for its peer beyond one call
 * (a message handed out and not yet acknowledged, say) it watches with {@link #onClose}.
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
  /** Actions tied to the connection rather than to a call; apart, so that ending a call never looks at them. */
  private Set<Runnable> closeActions; // guarded by this; null until one is added
  private boolean closed; // guarded by this
  // Set once under this (null until an at-most-once call replies); added to without a lock.
  private volatile RepliedCalls replied;
  /**
   * Calls with watchers: read without the lock when a call ends, so most calls take none, and by
   * the connection limiter, which may close a connection whose every call watches it.
   */
  private volatile int watched;
  private final RunningCalls running; // null for none()
  private final CallViews views; // null for none()

  private CallConnection(boolean closes) {
    this.closes = closes;
    this.running = closes ? new RunningCalls() : null;
    this.views = closes ? new CallViews() : null;
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
   * For a log line: {@code CallConnection[open]}, {@code [closed]}, or {@code [none]} for the
   * calls that have no connection ({@link #none()}).
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "CallConnection[" + (!closes ? "none" : isClosed() ? "closed" : "open") + "]";
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

  /** What this connection's calls reuse while they are read on its I/O thread; null for none(). */
  CallViews views() {
    return views;
  }

  /**
   * On the connection's event loop, before {@code call}'s procedure can see it: it runs until
   * {@link #callEnded}, which takes the returned slot (-1 for {@link #none()}).
   */
  int callStarted(CallContext call) {
    return running == null ? -1 : running.start(call);
  }

  /**
   * Runs {@code action} when the connection closes while {@code call} is unanswered; see there.
   * Nothing for a call that has ended (or never ran here): it would never be removed, and would
   * count among the watching calls for as long as the connection lasts.
   */
  void register(CallContext call, Runnable action) {
    if (!closes) {
      return;
    }
    synchronized (this) {
      if (!closed) {
        if (watchers == null) {
          watchers = new ArrayList<>(4);
        }
        boolean newCall = watchers.stream().noneMatch(w -> w.call() == call);
        watchers.add(new Watcher(call, action));
        if (newCall) {
          watched++;
        }
        // Counted first, then checked: an ending call empties its slot before it reads watched
        // (callEnded), so one of the two sees the other.
        if (!running.holds(call) && watchers.removeIf(w -> w.call() == call)) {
          watched--;
        }
        return;
      }
    }
    if (running.holds(call)) {
      run(action); // closed already: at once, on the caller's thread
    }
  }

  /**
   * Runs {@code action} once when this connection closes, however many calls end before: for what
   * a procedure keeps for its peer beyond the call that made it (a message handed out and not yet
   * acknowledged), which {@link CallContext#onConnectionClosed} cannot watch, as its registration
   * ends with its call. The close is told as there: the peer closed, reset or shut its side. The
   * action runs on the connection's I/O thread, so it must be quick and must not block; at once,
   * on the caller's thread, if the connection has closed already; never for {@link #none()}. It
   * is kept until the close: withdraw it with {@link #removeOnClose} when what it guards ends.
   *
   * @param action what to do when the peer has gone; not null, run at most once; registered once
   *     (adding the same object again changes nothing)
   */
  public void onClose(Runnable action) {
    Objects.requireNonNull(action, "action");
    if (!closes) {
      return;
    }
    synchronized (this) {
      if (!closed) {
        if (closeActions == null) {
          closeActions = new LinkedHashSet<>();
        }
        closeActions.add(action);
        return;
      }
    }
    run(action);
  }

  /**
   * Withdraws an action given to {@link #onClose}: it will not run. Nothing happens for one that
   * ran already or was never given.
   *
   * @param action the very object given to {@link #onClose}
   */
  public void removeOnClose(Runnable action) {
    if (!closes) {
      return;
    }
    synchronized (this) {
      if (closeActions != null) {
        closeActions.remove(action);
      }
    }
  }

  /**
   * An at-most-once call ({@code key}, a {@link DuplicateRequestCache.Key}) that ran here is about
   * to be answered over this connection: before its cache entry is final, so that a retransmission
   * handled between the two is not taken for one whose reply was lost. Nothing for {@link
   * #none()}: a datagram's reply may be lost.
   */
  void replying(Object key) {
    if (!closes) {
      return;
    }
    RepliedCalls calls = replied;
    if (calls == null) {
      // Once per connection: every other reply adds without the monitor (see RepliedCalls).
      synchronized (this) {
        if (closed) {
          return;
        }
        calls = replied;
        if (calls == null) {
          calls = new RepliedCalls();
          replied = calls;
        }
      }
    }
    calls.add(key); // after a close too: harmless, as replied() answers false then
  }

  /**
   * True if the reply to the call {@code key} was sent, or is being sent, over this connection,
   * still open: its retransmission over it needs no answer of its own.
   */
  boolean replied(Object key) {
    if (!closes) {
      return false;
    }
    synchronized (this) {
      return !closed && replied != null && replied.contains(key);
    }
  }

  /**
   * {@code call}, started in {@code slot} ({@link #callStarted}), is answered: what it registered
   * will not run, and it may register nothing more.
   */
  void callEnded(CallContext call, int slot) {
    if (running == null) {
      return;
    }
    running.end(slot); // before watched is read: see register
    if (watched == 0) {
      return; // the common case: no procedure of this connection asked
    }
    synchronized (this) {
      if (watchers != null && watchers.removeIf(w -> w.call() == call)) {
        watched--;
      }
    }
  }

  /**
   * How many unanswered calls of this connection watch it through {@link
   * CallContext#onConnectionClosed}; a call's watch ends before its slot is given back.
   */
  int watchedCalls() {
    return watched;
  }

  /** The peer went: runs every registered action once, on this (the I/O) thread. */
  void close() {
    List<Watcher> due;
    Set<Runnable> dueActions;
    synchronized (this) {
      if (closed || !closes) {
        return;
      }
      closed = true;
      due = watchers;
      watchers = null;
      watched = 0;
      dueActions = closeActions;
      closeActions = null;
      replied = null;
    }
    if (due != null) {
      for (Watcher w : due) {
        run(w.action());
      }
    }
    if (dueActions != null) {
      dueActions.forEach(CallConnection::run);
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
