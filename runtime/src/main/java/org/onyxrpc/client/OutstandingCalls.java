package org.onyxrpc.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.onyxrpc.internal.rpc.ReplyTag;

/**
 * The calls of one client awaiting replies, by xid, whichever connection their latest
 * transmission went out on; and what the client has learnt of the server's epoch.
 *
 * <p>A client's xids count up, so the calls outstanding together nearly always fall in
 * different slots of a small array indexed by xid: adding, taking and removing a call is one
 * compare-and-set, with no boxed key and no map entry. A call whose slot is still held by an
 * older one, outstanding for a whole turn of the array, waits in a map instead.
 */
final class OutstandingCalls {
  private static final int MAX_SLOTS = 1024;

  private final AtomicReferenceArray<PendingCall<?, ?>> slots;
  private final int mask;
  private final Map<Integer, PendingCall<?, ?>> overflow = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  /** The client's own calls (tag probes) among them, which no limit counts. */
  private final AtomicInteger unlimited = new AtomicInteger();
  final ClientCounters counters;
  private volatile long serverEpoch;
  private volatile boolean serverTags;
  private volatile boolean serverReadsMetadata;

  /** For at most {@code maxPendingCalls} outstanding at once, whose slots it sizes. */
  OutstandingCalls(ClientCounters counters, int maxPendingCalls) {
    this.counters = counters;
    int wanted = Math.min(MAX_SLOTS, Math.max(16, maxPendingCalls));
    int length = Integer.highestOneBit(wanted - 1) << 1;
    this.slots = new AtomicReferenceArray<>(length);
    this.mask = length - 1;
  }

  void add(PendingCall<?, ?> call, boolean limited) {
    call.limited = limited;
    if (!limited) {
      unlimited.incrementAndGet();
    }
    size.incrementAndGet();
    if (!slots.compareAndSet(call.xid & mask, null, call)) {
      overflow.put(call.xid, call);
    }
  }

  /** Removes and returns the call with {@code xid}, or null if none awaits it. */
  PendingCall<?, ?> take(int xid) {
    int slot = xid & mask;
    PendingCall<?, ?> call = slots.get(slot);
    if (call != null && call.xid == xid) {
      // Nowhere else if not here: a call is added to one place, before it can be answered.
      return slots.compareAndSet(slot, call, null) ? removed(call) : null;
    }
    call = overflow.isEmpty() ? null : overflow.remove(xid);
    return call != null ? removed(call) : null;
  }

  boolean remove(PendingCall<?, ?> call) {
    if (slots.compareAndSet(call.xid & mask, call, null)
        || !overflow.isEmpty() && overflow.remove(call.xid, call)) {
      removed(call);
      return true;
    }
    return false;
  }

  private PendingCall<?, ?> removed(PendingCall<?, ?> call) {
    size.decrementAndGet();
    if (!call.limited) {
      unlimited.decrementAndGet();
    }
    return call;
  }

  int size() {
    return size.get();
  }

  /** The calls a client's maxPendingCalls limits: all but its own pings. */
  int limitedSize() {
    return size.get() - unlimited.get();
  }

  /** The calls outstanding now, as a copy (for the rare walks: a lost connection, a close). */
  List<PendingCall<?, ?>> all() {
    List<PendingCall<?, ?>> all = new ArrayList<>(overflow.values());
    for (int i = 0; i < slots.length(); i++) {
      PendingCall<?, ?> call = slots.get(i);
      if (call != null) {
        all.add(call);
      }
    }
    return all;
  }

  /** The epoch of the server last heard from; 0 before any tagged reply. */
  long serverEpoch() {
    return serverEpoch;
  }

  /** Whether any reply so far carried a {@link ReplyTag}: the server filters duplicates. */
  boolean serverTags() {
    return serverTags;
  }

  /** Whether the server's last tag said it reads call metadata (see {@link ReplyTag}). */
  boolean serverReadsMetadata() {
    return serverReadsMetadata;
  }

  void heard(ReplyTag tag) {
    serverTags = true;
    if (tag.readsMetadata() != serverReadsMetadata) {
      serverReadsMetadata = tag.readsMetadata();
    }
    if (tag.epoch() != serverEpoch) {
      serverEpoch = tag.epoch();
    }
  }
}
