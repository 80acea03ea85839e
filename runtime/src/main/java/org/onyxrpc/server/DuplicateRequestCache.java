package org.onyxrpc.server;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.onyxrpc.rpc.CallTag;

/**
 * Remembers at-most-once calls and their replies, so a retransmission is answered with the saved
 * reply instead of running the procedure again.
 *
 * <p>Calls are keyed by the client id in their {@link CallTag} (stable across reconnects and
 * source ports) or, for untagged UDP calls from C clients, by the sender's address; then by xid,
 * program, version and procedure. The cache is bounded in entries, in reply bytes and by age;
 * the oldest finished entries go first. Calls still running are never evicted.
 *
 * <p>A retransmission (attempt &gt; 1) with no entry is either a call whose first transmission
 * never arrived (safe to run) or one the server has forgotten. It is run only when the server
 * can prove the former: the call names this server's epoch (so the server has not restarted
 * since the client first sent it) and its xid is above the highest xid evicted for that client.
 * Otherwise the answer is "outcome unknown": never a silent second execution.
 */
final class DuplicateRequestCache {
  /** What to do with a call. */
  enum Verdict {
    /** Run it; then {@link #complete} or {@link #abandon}. */
    EXECUTE,
    /** A finished duplicate: send {@link Lookup#reply}. */
    REPLAY,
    /** A duplicate of a call still running: drop it, the client will ask again. */
    IN_PROGRESS,
    /** A retransmission the server cannot account for. */
    OUTCOME_UNKNOWN
  }

  /** The verdict, and the saved reply for {@link Verdict#REPLAY}. */
  record Lookup(Verdict verdict, byte[] reply) {}

  /** Who sent a call and which call it is. */
  record Key(long clientHigh, long clientLow, SocketAddress address, int xid, int program,
      int version, int procedure) {}

  private record ClientId(long high, long low, SocketAddress address) {}

  private static final class Entry {
    final long createdNanos;
    byte[] reply; // null while the call runs

    Entry(long createdNanos) {
      this.createdNanos = createdNanos;
    }
  }

  private static final Lookup EXECUTE = new Lookup(Verdict.EXECUTE, null);
  private static final Lookup IN_PROGRESS = new Lookup(Verdict.IN_PROGRESS, null);
  private static final Lookup UNKNOWN = new Lookup(Verdict.OUTCOME_UNKNOWN, null);

  private final int maxEntries;
  private final long maxBytes;
  private final long ttlNanos;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();
  // Per client: the highest xid evicted (in serial-number order), so a later retransmission of a
  // forgotten call is recognised. Least recently used clients go first; forgetting one makes
  // every unknown client's retransmissions unknown, which is safe.
  private final LinkedHashMap<ClientId, int[]> floors = new LinkedHashMap<>(16, 0.75f, true);
  private boolean forgotAClient;
  private long bytes;
  final LongAdder replayed = new LongAdder();
  final LongAdder inProgressDropped = new LongAdder();
  final LongAdder outcomeUnknown = new LongAdder();

  DuplicateRequestCache(int maxEntries, long maxBytes, Duration ttl) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.ttlNanos = ttl.toNanos();
  }

  /** Decides what to do with a call; {@code tag} is null for untagged calls. */
  synchronized Lookup begin(Key key, CallTag tag, long serverEpoch) {
    long now = System.nanoTime();
    evict(now);
    Entry entry = entries.get(key);
    if (entry != null) {
      if (entry.reply == null) {
        inProgressDropped.increment();
        return IN_PROGRESS;
      }
      replayed.increment();
      return new Lookup(Verdict.REPLAY, entry.reply);
    }
    if (tag != null && tag.attempt() > 1 && !provablyNew(key, tag, serverEpoch)) {
      outcomeUnknown.increment();
      return UNKNOWN;
    }
    entries.put(key, new Entry(now));
    floors.putIfAbsent(clientOf(key), new int[] {key.xid(), 0}); // {floor, has floor}
    trimClients();
    return EXECUTE;
  }

  private boolean provablyNew(Key key, CallTag tag, long serverEpoch) {
    if (tag.epoch() != serverEpoch) {
      return false;
    }
    int[] floor = floors.get(clientOf(key));
    if (floor == null) {
      return !forgotAClient;
    }
    return floor[1] == 0 || key.xid() - floor[0] > 0;
  }

  /** Saves the reply of a call that ran; it answers retransmissions from now on. */
  synchronized void complete(Key key, byte[] reply) {
    Entry entry = entries.get(key);
    if (entry != null && entry.reply == null) {
      entry.reply = reply;
      bytes += reply.length;
      evict(System.nanoTime());
    }
  }

  /** Forgets a call that produced no reply to save (it was never run). */
  synchronized void abandon(Key key) {
    Entry entry = entries.get(key);
    if (entry != null && entry.reply == null) {
      entries.remove(key);
    }
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized long bytes() {
    return bytes;
  }

  private void evict(long now) {
    Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, Entry> e = it.next();
      boolean expired = now - e.getValue().createdNanos > ttlNanos;
      if (!expired && entries.size() <= maxEntries && bytes <= maxBytes) {
        return;
      }
      byte[] reply = e.getValue().reply;
      if (reply == null) {
        continue; // still running: it stays
      }
      it.remove();
      bytes -= reply.length;
      raiseFloor(e.getKey());
    }
  }

  private void raiseFloor(Key key) {
    int[] floor = floors.computeIfAbsent(clientOf(key), c -> new int[] {key.xid(), 1});
    if (floor[1] == 0 || key.xid() - floor[0] > 0) {
      floor[0] = key.xid();
      floor[1] = 1;
    }
    trimClients();
  }

  private void trimClients() {
    Iterator<ClientId> it = floors.keySet().iterator();
    while (floors.size() > maxEntries && it.hasNext()) {
      it.next();
      it.remove();
      forgotAClient = true;
    }
  }

  private static ClientId clientOf(Key key) {
    return new ClientId(key.clientHigh(), key.clientLow(), key.address());
  }
}
