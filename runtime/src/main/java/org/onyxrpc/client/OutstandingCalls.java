package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.rpc.ReplyTag;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;

/**
 * The calls of one client awaiting replies, by xid, whichever connection their latest
 * transmission went out on; and what the client has learnt of the server's epoch.
 *
 * <p>The client's {@link CallOwner} alone touches it, so it is plain fields: a client's xids
 * count up, so the calls outstanding together nearly always fall in different slots of a small
 * array indexed by xid, with no boxed key and no map entry; a call whose slot is still held by
 * an older one, outstanding for a whole turn of the array, waits in a map instead. Only the
 * count is read elsewhere (whether a reader is wanted), and the owner publishes it.
 */
final class OutstandingCalls {
  private static final int MAX_SLOTS = 1024;

  private final PendingCall<?, ?>[] slots;
  private final int mask;
  private final Map<Integer, PendingCall<?, ?>> overflow = new HashMap<>();
  /** Written by the owner alone; read by any thread. */
  private volatile int size;
  /** The client's own calls (tag probes) among them, which no limit counts. */
  private int unlimited;
  final ClientCounters counters;
  /** The server's "outcome unknown" replies: a line per interval, not per call (ReplyReader). */
  final RateLimitedLog outcomeUnknownReplies = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private long serverEpoch;
  private boolean serverTags;
  private boolean serverReadsMetadata;
  private boolean serverFiltersDuplicates;
  private long filteringReplies;
  /**
   * Reads each reply, on the owner: one reader for them all, since a reader made per reply
   * escapes into the result's codec (an allocation per call) wherever that is not inlined. Its
   * exceptions have no stack trace, as a server's reader of calls: a server chooses its replies,
   * and each malformed one would otherwise fill in the owner's stack; a caller's failure is
   * thrown anew on the calling thread (RpcException.rethrownHere), which shows the caller.
   */
  private final XdrReader replies = XdrReader.withoutStackTraces(Unpooled.EMPTY_BUFFER, XdrLimits.DEFAULT);

  /** For at most {@code maxPendingCalls} outstanding at once, whose slots it sizes. */
  OutstandingCalls(ClientCounters counters, int maxPendingCalls) {
    this.counters = counters;
    int wanted = Math.min(MAX_SLOTS, Math.max(16, maxPendingCalls));
    int length = Integer.highestOneBit(wanted - 1) << 1;
    this.slots = new PendingCall<?, ?>[length];
    this.mask = length - 1;
  }

  /** On the owner: the reader of replies, started over on {@code message}. */
  XdrReader replyReader(ByteBuf message) {
    return replies.reset(message);
  }

  void add(PendingCall<?, ?> call, boolean limited) {
    call.limited = limited;
    if (!limited) {
      unlimited++;
    }
    size++;
    int slot = call.xid & mask;
    if (slots[slot] == null) {
      slots[slot] = call;
    } else {
      overflow.put(call.xid, call);
    }
  }

  /** Removes and returns the call with {@code xid}, or null if none awaits it. */
  PendingCall<?, ?> take(int xid) {
    int slot = xid & mask;
    PendingCall<?, ?> call = slots[slot];
    if (call != null && call.xid == xid) {
      slots[slot] = null;
      return removed(call);
    }
    call = overflow.isEmpty() ? null : overflow.remove(xid);
    return call != null ? removed(call) : null;
  }

  boolean remove(PendingCall<?, ?> call) {
    int slot = call.xid & mask;
    if (slots[slot] == call) {
      slots[slot] = null;
    } else if (overflow.isEmpty() || !overflow.remove(call.xid, call)) {
      return false;
    }
    removed(call);
    return true;
  }

  private PendingCall<?, ?> removed(PendingCall<?, ?> call) {
    size--;
    if (!call.limited) {
      unlimited--;
    }
    return call;
  }

  /** From any thread: how many calls are outstanding, as the owner last left it. */
  int size() {
    return size;
  }

  /** The calls a client's maxPendingCalls limits: all but its own pings. */
  int limitedSize() {
    return size - unlimited;
  }

  /** The calls outstanding now, as a copy (for the rare walks: a lost connection, a close). */
  List<PendingCall<?, ?>> all() {
    List<PendingCall<?, ?>> all = new ArrayList<>(overflow.values());
    for (PendingCall<?, ?> call : slots) {
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

  /**
   * Whether the server's replies carry a {@link ReplyTag}: it is an Onyx server, which reads call
   * tags (whether it filters duplicates is {@link #serverFiltersDuplicates}).
   */
  boolean serverTags() {
    return serverTags;
  }

  /**
   * Whether the server tags its replies and its latest tag did not say it keeps no duplicate
   * request cache: then a tagged at-most-once call may be sent to it again.
   */
  boolean serverFiltersDuplicates() {
    return serverTags && serverFiltersDuplicates;
  }

  /** Whether the server's last tag said it reads call metadata (see {@link ReplyTag}). */
  boolean serverReadsMetadata() {
    return serverReadsMetadata;
  }

  /** How many tagged replies have said their server filters duplicates: a count that only grows. */
  long filteringReplies() {
    return filteringReplies;
  }

  /**
   * A success came back untagged to a tagged call: the server now at the client's address does
   * not filter duplicates, though an earlier one did (one took the other's port). The client asks
   * again before its next retransmitting call ({@link TagProbe}), and the at-most-once calls in
   * flight, sent tagged, are sent no more: only the server could keep a repeat from running.
   */
  void heardUntagged() {
    serverTags = false;
    serverReadsMetadata = false;
    serverFiltersDuplicates = false;
    sendAtMostOnceCallsNoMore();
  }

  /** The at-most-once calls in flight, sent tagged, go no more: the server would run them again. */
  private void sendAtMostOnceCallsNoMore() {
    for (PendingCall<?, ?> call : all()) {
      if (call.retry != null && call.retry.settled && call.retry.atMostOnce) {
        call.retry.mayRetransmit = false;
      }
    }
  }

  /**
   * A tagged reply. One that says its server filters no duplicates, where the server before did
   * (a server built with {@code noDuplicateRequestCache} took the address), stops the at-most-once
   * calls in flight as an untagged one does ({@link #heardUntagged}).
   */
  void heard(ReplyTag tag) {
    boolean filtered = serverFiltersDuplicates();
    serverTags = true;
    serverReadsMetadata = tag.readsMetadata();
    serverFiltersDuplicates = tag.filtersDuplicates();
    serverEpoch = tag.epoch();
    if (serverFiltersDuplicates) {
      filteringReplies++;
    }
    if (filtered && !serverFiltersDuplicates) {
      sendAtMostOnceCallsNoMore();
    }
  }
}
