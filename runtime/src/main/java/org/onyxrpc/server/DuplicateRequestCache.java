package org.onyxrpc.server;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.onyxrpc.internal.rpc.CallTag;

/**
 * Remembers at-most-once calls and their replies, so a retransmission is answered with the saved
 * reply instead of running the procedure again.
 *
 * <p>Calls are keyed by the client id in their {@link CallTag} (stable across reconnects and
 * source ports) or, for untagged UDP calls from C clients, by the sender's address and a digest
 * of the arguments (as Linux's nfsd does: an address is easily forged over UDP); then by xid,
 * program, version and procedure. The cache is bounded in entries, in reply bytes and by age;
 * the oldest finished entries go first. Calls still running are never evicted.
 *
 * <p>A retransmission (attempt &gt; 1) with no entry is either a call whose first transmission
 * never arrived (safe to run) or one the server has forgotten. It is run only when the server
 * can prove the former: the call names this server's epoch (so the server has not restarted
 * since the client first sent it) and its xid is above the highest xid evicted for that client.
 * Otherwise the answer is "outcome unknown": never a silent second execution.
 *
 * <p>A large cache is split into shards by client, each with its share of the limits and its
 * own lock, so calls from different clients rarely wait for each other; a client's calls always
 * go to the same shard, which keeps the rules above per client. Running calls are kept apart
 * from finished ones, so eviction never has to step over them.
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

  /**
   * Who sent a call and which call it is. {@code arguments} is a digest of an untagged call's
   * argument bytes (0 for tagged calls): a sender's address can be forged over UDP, and so can
   * an xid, but a call with other arguments is another call, never answered with this reply.
   */
  record Key(long clientHigh, long clientLow, SocketAddress address, int xid, int program,
      int version, int procedure, int arguments) {}

  private record ClientId(long high, long low, SocketAddress address) {}

  private static final Lookup EXECUTE = new Lookup(Verdict.EXECUTE, null);
  private static final Lookup IN_PROGRESS = new Lookup(Verdict.IN_PROGRESS, null);
  private static final Lookup UNKNOWN = new Lookup(Verdict.OUTCOME_UNKNOWN, null);
  /** Entries per shard below which a cache is not split: small caches keep exact limits. */
  private static final int MIN_SHARD_ENTRIES = 4096;
  private static final int MAX_SHARDS = 16;

  private final Shard[] shards;
  final LongAdder replayed = new LongAdder();
  final LongAdder inProgressDropped = new LongAdder();
  final LongAdder outcomeUnknown = new LongAdder();

  DuplicateRequestCache(int maxEntries, long maxBytes, Duration ttl) {
    this(maxEntries, maxBytes, ttl, System::nanoTime);
  }

  /** With {@code clock} (nanoseconds, as {@link System#nanoTime}) ageing its entries: tests'. */
  DuplicateRequestCache(int maxEntries, long maxBytes, Duration ttl, LongSupplier clock) {
    int n = Math.max(1, Math.min(MAX_SHARDS, maxEntries / MIN_SHARD_ENTRIES));
    shards = new Shard[n];
    for (int i = 0; i < n; i++) {
      shards[i] = new Shard(maxEntries / n, maxBytes / n, ttl.toNanos(), clock);
    }
  }

  /** Decides what to do with a call; {@code tag} is null for untagged calls. */
  Lookup begin(Key key, CallTag tag, long serverEpoch) {
    return shard(key).begin(key, tag, serverEpoch);
  }

  /** Saves the reply of a call that ran; it answers retransmissions from now on. */
  void complete(Key key, byte[] reply) {
    shard(key).complete(key, reply);
  }

  /** Forgets a call that produced no reply to save (it was never run). */
  void abandon(Key key) {
    shard(key).abandon(key);
  }

  int size() {
    int size = 0;
    for (Shard shard : shards) {
      size += shard.size();
    }
    return size;
  }

  long bytes() {
    long bytes = 0;
    for (Shard shard : shards) {
      bytes += shard.bytes();
    }
    return bytes;
  }

  private Shard shard(Key key) {
    if (shards.length == 1) {
      return shards[0];
    }
    int h = Long.hashCode(key.clientHigh()) * 31 + Long.hashCode(key.clientLow());
    h = h * 31 + (key.address() == null ? 0 : key.address().hashCode());
    h ^= h >>> 16;
    return shards[Math.floorMod(h, shards.length)];
  }

  private static ClientId clientOf(Key key) {
    return new ClientId(key.clientHigh(), key.clientLow(), key.address());
  }

  private static final class Entry {
    final long createdNanos;
    final byte[] reply;

    Entry(long createdNanos, byte[] reply) {
      this.createdNanos = createdNanos;
      this.reply = reply;
    }
  }

  /** One share of the cache, for the clients that hash to it; its methods hold its lock. */
  private final class Shard {
    private final int maxEntries;
    private final long maxBytes;
    private final long ttlNanos;
    private final HashMap<Key, Long> running = new HashMap<>(); // key -> start time
    private final LinkedHashMap<Key, Entry> done = new LinkedHashMap<>(); // oldest first
    // Per client: the highest xid evicted (in serial-number order), so a later retransmission
    // of a forgotten call is recognised. Least recently used clients go first; forgetting one
    // makes every unknown client's retransmissions unknown, which is safe.
    private final LinkedHashMap<ClientId, int[]> floors = new LinkedHashMap<>(16, 0.75f, true);
    private boolean forgotAClient;
    private long bytes;
    private final LongSupplier clock;

    Shard(int maxEntries, long maxBytes, long ttlNanos, LongSupplier clock) {
      this.maxEntries = Math.max(1, maxEntries);
      this.maxBytes = Math.max(1, maxBytes);
      this.ttlNanos = ttlNanos;
      this.clock = clock;
    }

    synchronized Lookup begin(Key key, CallTag tag, long serverEpoch) {
      long now = clock.getAsLong();
      evict(now);
      if (running.containsKey(key)) {
        inProgressDropped.increment();
        return IN_PROGRESS;
      }
      Entry entry = done.get(key);
      if (entry != null) {
        replayed.increment();
        return new Lookup(Verdict.REPLAY, entry.reply);
      }
      if (tag != null && tag.attempt() > 1 && !provablyNew(key, tag, serverEpoch)) {
        outcomeUnknown.increment();
        return UNKNOWN;
      }
      running.put(key, now);
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

    synchronized void complete(Key key, byte[] reply) {
      Long started = running.remove(key);
      if (started != null) {
        done.put(key, new Entry(started, reply));
        bytes += reply.length;
        evict(clock.getAsLong());
      }
    }

    synchronized void abandon(Key key) {
      running.remove(key);
    }

    synchronized int size() {
      return running.size() + done.size();
    }

    synchronized long bytes() {
      return bytes;
    }

    private void evict(long now) {
      Iterator<Map.Entry<Key, Entry>> it = done.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Key, Entry> e = it.next();
        boolean expired = now - e.getValue().createdNanos > ttlNanos;
        if (!expired && running.size() + done.size() <= maxEntries && bytes <= maxBytes) {
          return;
        }
        it.remove();
        bytes -= e.getValue().reply.length;
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
  }
}
