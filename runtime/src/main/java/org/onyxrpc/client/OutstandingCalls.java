package org.onyxrpc.client;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.onyxrpc.rpc.ReplyTag;

/**
 * The calls of one client awaiting replies, by xid, whichever connection their latest
 * transmission went out on; and what the client has learnt of the server's epoch.
 */
final class OutstandingCalls {
  private final Map<Integer, PendingCall<?, ?>> calls = new ConcurrentHashMap<>();
  /** The client's own calls (tag probes) among them, which no limit counts. */
  private final java.util.concurrent.atomic.AtomicInteger unlimited = new java.util.concurrent.atomic.AtomicInteger();
  final ClientCounters counters;
  private volatile long serverEpoch;
  private volatile boolean serverTags;

  OutstandingCalls(ClientCounters counters) {
    this.counters = counters;
  }

  void add(PendingCall<?, ?> call, boolean limited) {
    call.limited = limited;
    if (!limited) {
      unlimited.incrementAndGet();
    }
    calls.put(call.xid, call);
  }

  /** Removes and returns the call with {@code xid}, or null if none awaits it. */
  PendingCall<?, ?> take(int xid) {
    PendingCall<?, ?> call = calls.remove(xid);
    if (call != null && !call.limited) {
      unlimited.decrementAndGet();
    }
    return call;
  }

  boolean remove(PendingCall<?, ?> call) {
    boolean removed = calls.remove(call.xid, call);
    if (removed && !call.limited) {
      unlimited.decrementAndGet();
    }
    return removed;
  }

  int size() {
    return calls.size();
  }

  /** The calls a client's maxPendingCalls limits: all but its own pings. */
  int limitedSize() {
    return calls.size() - unlimited.get();
  }

  Collection<PendingCall<?, ?>> all() {
    return calls.values();
  }

  /** The epoch of the server last heard from; 0 before any tagged reply. */
  long serverEpoch() {
    return serverEpoch;
  }

  /** Whether any reply so far carried a {@link ReplyTag}: the server filters duplicates. */
  boolean serverTags() {
    return serverTags;
  }

  void heard(ReplyTag tag) {
    serverTags = true;
    if (tag.epoch() != serverEpoch) {
      serverEpoch = tag.epoch();
    }
  }
}
