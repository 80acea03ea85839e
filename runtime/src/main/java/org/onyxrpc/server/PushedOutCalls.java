package org.onyxrpc.server;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Untagged calls whose entries the {@link DuplicateRequestCache} pushed out before their ttl, each
 * until when it may still be retransmitted: an untagged call says nothing of being a
 * retransmission, so one of these is "outcome unknown", not run again. At most {@code max}
 * traces, the oldest going first, and {@code maxPerSender} of one sender, its own oldest going
 * first; a trace dropped before its time marks its sender's address ({@link
 * ForgottenAddresses}), whose untagged calls are then all "outcome unknown" until that time.
 * Not thread-safe: a cache shard's, under its lock.
 *
 * @param <K> the cache's key of a call
 */
final class PushedOutCalls<K> {
  private record Trace(long until, Object sender) {}

  private final int max;
  private final int maxPerSender;
  private final LinkedHashMap<K, Trace> traces = new LinkedHashMap<>(); // oldest first
  // Each sender's keys, in the order of traces: its oldest is at the head of both.
  private final HashMap<Object, ArrayDeque<K>> bySender = new HashMap<>();
  private final ForgottenAddresses marked;

  PushedOutCalls(int max, int maxPerSender, int maxAddresses) {
    this.max = max;
    this.maxPerSender = maxPerSender;
    this.marked = new ForgottenAddresses(maxAddresses);
  }

  /**
   * Whether a call of {@code key} from {@code sender} may be the retransmission of one that ran
   * and was pushed out: its own trace, or its address marked.
   */
  boolean mayHaveRun(K key, Object sender, long now) {
    Trace trace = traces.get(key);
    if (trace != null) {
      if (trace.until() - now > 0) {
        return true;
      }
      drop(key, now);
    }
    return marked.covers(sender, now);
  }

  /**
   * Keeps a trace of {@code key}, from {@code sender}, until {@code until}; then drops the
   * traces over the limits: the sender's own oldest past its share, the oldest of all past the
   * whole.
   */
  void add(K key, Object sender, long until, long now) {
    if (until - now <= 0 || traces.put(key, new Trace(until, sender)) != null) {
      return;
    }
    ArrayDeque<K> own = bySender.computeIfAbsent(sender, s -> new ArrayDeque<>());
    own.add(key);
    if (own.size() > maxPerSender) {
      drop(own.peekFirst(), now);
    }
    while (!traces.isEmpty()) {
      Map.Entry<K, Trace> oldest = traces.entrySet().iterator().next();
      if (oldest.getValue().until() - now > 0 && traces.size() <= max) {
        return;
      }
      drop(oldest.getKey(), now);
    }
  }

  /** Drops a trace; if its call may still be retransmitted, its sender's address is marked. */
  private void drop(K key, long now) {
    Trace trace = traces.remove(key);
    ArrayDeque<K> own = bySender.get(trace.sender());
    if (key.equals(own.peekFirst())) { // nearly always, as both keep one order
      own.pollFirst();
    } else {
      own.remove(key);
    }
    if (own.isEmpty()) {
      bySender.remove(trace.sender());
    }
    if (trace.until() - now > 0) {
      marked.mark(trace.sender(), trace.until());
    }
  }
}
