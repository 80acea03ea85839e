package org.onyxrpc.server;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.onyxrpc.internal.rpc.CallTag;

/**
 * Remembers at-most-once calls and their replies, so a retransmission is answered with the saved
 * reply instead of running the procedure again.
 *
 * <p>Calls are keyed by the client id in their {@link CallTag} (stable across reconnects and
 * source ports) or, for untagged UDP calls from C clients, by the sender's address; then by xid,
 * program, version, procedure and a digest of the call's credential and arguments (as Linux's
 * nfsd does: a client id travels in plaintext, an address is easily forged over UDP, an xid is
 * guessed). A call that takes another's client id (or address) and xid but not its credential
 * and arguments is so another call: it is neither answered with that call's saved reply nor
 * taken for a duplicate of it while it runs, and its own entry sits beside that call's instead
 * of over it, so a call sent first with a client's next xid does not answer the client's own.
 * It runs as the new call it is (a first transmission), or, if it says it is a retransmission
 * the server cannot account for, gets "outcome unknown" as below: the server knows no more of
 * it than of any call it has no entry for. The cache is bounded in entries, in reply bytes and by
 * age; the oldest finished entries go first. Calls still running are never evicted.
 *
 * <p>A retransmission (attempt &gt; 1) with no entry is either a call whose first transmission
 * never arrived (safe to run) or one the server has forgotten. It is run only when the server
 * can prove the former: the call names this server's epoch (so the server has not restarted
 * since the client first sent it) and its xid is above the highest xid evicted for that client.
 * Otherwise the answer is "outcome unknown": never a silent second execution. Except over the
 * still-open connection the call ran on (never UDP), where its reply went out or is going out:
 * the retransmission is dropped, so "outcome unknown" cannot overtake a reply too large to keep
 * ({@link CallConnection#replying}, the latest {@value RepliedCalls#MAX} calls a connection).
 *
 * <p>Those per-client floors are bounded too (as many clients as entries, at most half of them
 * from one address; the least recently seen go first, an address over its half losing its own),
 * and a client's retransmission with no floor may then be one the server forgot.
 * What is forgotten is kept bounded in time and place rather than for good: when a client is
 * forgotten, the addresses its calls came from ({@code ClientAddress}: an IPv4 address or an
 * IPv6 /64) are marked until {@code ttl} after its last call began; an unknown client's
 * retransmission from a marked address is "outcome unknown", and so is an old xid from a
 * forgotten client that came back. Every address, not the last only: a client id travels in
 * plaintext, and a call with it from elsewhere must not move the mark off the client's own. A
 * client whose calls came from more than {@value OtherOrigins#MAX_ADDRESSES} addresses besides its
 * first marks every address instead. Clients elsewhere, and everyone once the mark has passed,
 * are judged as before. Past {@value #MAX_FORGOTTEN_ADDRESSES} marked addresses per shard, the
 * oldest mark widens to every address, for as long as it would have lasted. So the promise "never
 * runs twice" holds for a client that retransmits a call within {@code ttl} of its first
 * transmission (its deadline is shorter than the cache's ttl, as {@code
 * RpcServerBuilder#duplicateRequestCache} asks) and, if more clients than the cache has entries
 * came in between, from an address it called from.
 * A host that floods the cache with client ids so costs its own address, for at most {@code
 * ttl} after the flood; other addresses only when many of them flood together (each pushing out
 * others' clients that called within the ttl): no longer everyone's lost first transmissions
 * until the server restarts.
 *
 * <p>An untagged call says nothing of being a retransmission, so an entry of one pushed out
 * before its ttl (by the limits, or its address's share) leaves a trace of its key ({@link
 * PushedOutCalls}): its retransmission is "outcome unknown", never a second execution. Traces
 * are bounded as floors are (as many as entries, at most half of them of one address, the
 * oldest first), and a trace dropped before its ttl marks its address, whose untagged calls
 * with no entry are then "outcome unknown" until that ttl has passed: several addresses flooding
 * the cache together cost a C client refusals, not a call run twice.
 *
 * <p>Client ids and xids are the caller's to choose, so each finished entry also counts in the
 * share of the address it came from ({@code ClientAddress}, or a Unix-domain peer's uid, as
 * {@link ReplySink#client} gives them): one address holds at most half of
 * a shard's entries and bytes, and past that its own oldest entries go first. A host that floods
 * the cache with at-most-once calls then flushes its own replies, not other clients' (whose
 * retransmissions would otherwise find nothing and be told "outcome unknown").
 *
 * <p>A large cache is split into shards, each with its share of the limits and its own lock, so
 * concurrent calls rarely wait for each other. A call's shard follows from its client and xid:
 * a client's calls go to one shard for a run of 256 consecutive xids, then to the next shard,
 * so a busy client's history can fill half of the whole cache, not half of one shard (sized as
 * {@code RpcServerBuilder#duplicateRequestCache} says, its retransmissions still find their
 * replies), while a client that makes few calls takes a place in one or two shards' tables of
 * clients. Every rule above holds per shard, for the calls that reach it (floors, clients and
 * marks are a shard's own): a call's retransmissions go to the shard its first transmission went
 * to, the only one that can know of it. Running calls are kept apart from finished ones, so
 * eviction never has to step over them.
 */
final class DuplicateRequestCache {
  /** What to do with a call. */
  enum Verdict {
    /** Run it; then {@link #complete} or {@link #abandon}. */
    EXECUTE,
    /** A finished duplicate: send {@link Lookup#reply}. */
    REPLAY,
    /**
     * A duplicate of a call still running, or of one whose reply is on its way over the
     * connection the duplicate came on: drop it, the client will ask again or hear the reply.
     */
    IN_PROGRESS,
    /** A retransmission the server cannot account for. */
    OUTCOME_UNKNOWN
  }

  /** The verdict, and the saved reply for {@link Verdict#REPLAY}. */
  record Lookup(Verdict verdict, byte[] reply) {}

  /**
   * Who sent a call and which call it is. {@code digest} is a digest of the call's credential and
   * argument bytes ({@code CallKeys}): a client id can be learnt, a sender's address forged over
   * UDP, an xid guessed, but a call under another credential or with other arguments is another
   * call, never answered with this reply nor saved in its place.
   */
  record Key(long clientHigh, long clientLow, SocketAddress address, int xid, int program,
      int version, int procedure, long digest) {}

  private record ClientId(long high, long low, SocketAddress address) {}

  private static final Lookup EXECUTE = new Lookup(Verdict.EXECUTE, null);
  private static final Lookup IN_PROGRESS = new Lookup(Verdict.IN_PROGRESS, null);
  private static final Lookup UNKNOWN = new Lookup(Verdict.OUTCOME_UNKNOWN, null);
  /** Entries per shard below which a cache is not split: small caches keep exact limits. */
  private static final int MIN_SHARD_ENTRIES = 4096;
  private static final int MAX_SHARDS = 16;
  /**
   * A client's consecutive xids stay in one shard for runs of 2^8: its calls reach every shard
   * in turn (so its history can fill half of the cache, not of one shard), while a client that
   * makes fewer calls than that in a TTL takes a place in one or two shards' tables of clients.
   */
  private static final int XID_RUN_BITS = 8;
  /** Addresses a shard remembers having forgotten clients of, before it marks every address. */
  static final int MAX_FORGOTTEN_ADDRESSES = 1024;
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
    return begin(key, tag, serverEpoch, null);
  }

  /**
   * Decides what to do with a call from {@code sender} (what its entry's share is of: the
   * sender's {@code ClientAddress}, or a Unix-domain peer's user; null: no share, as for an
   * in-process caller).
   */
  Lookup begin(Key key, CallTag tag, long serverEpoch, Object sender) {
    return begin(key, tag, serverEpoch, sender, null);
  }

  /** As above, for a call that came over {@code connection} (null: none known). */
  Lookup begin(Key key, CallTag tag, long serverEpoch, Object sender, CallConnection connection) {
    return shard(key).begin(key, tag, serverEpoch, sender, connection);
  }

  /** Saves the reply of a call that ran; it answers retransmissions from now on. */
  void complete(Key key, byte[] reply) {
    shard(key).complete(key, reply);
  }

  /** Forgets a call that produced no reply to save (it was never run). */
  void abandon(Key key) {
    shard(key).abandon(key);
  }

  /** Entries, what {@code maxEntries} bounds: calls running and replies saved. */
  int size() {
    int size = 0;
    for (Shard shard : shards) {
      size += shard.size();
    }
    return size;
  }

  /** Replies saved: the entries of calls that finished, not of those still running. */
  int replies() {
    int replies = 0;
    for (Shard shard : shards) {
      replies += shard.replies();
    }
    return replies;
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
    // Clients number their calls in turn: each run of 256 xids goes to the next shard.
    return shards[Math.floorMod(h + (key.xid() >>> XID_RUN_BITS), shards.length)];
  }

  private static ClientId clientOf(Key key) {
    return new ClientId(key.clientHigh(), key.clientLow(), key.address());
  }

  private static final class Entry {
    final long createdNanos;
    final byte[] reply;
    final Object sender; // whose share it counts in, or null

    Entry(long createdNanos, byte[] reply, Object sender) {
      this.createdNanos = createdNanos;
      this.reply = reply;
      this.sender = sender;
    }
  }

  /**
   * What a shard knows of one client: the highest of its xids evicted from this shard (in
   * serial-number order), when the latest of its calls here that ran began, and the addresses
   * its calls here came from. All of them, not the latest only: a client id travels in
   * plaintext, and one call with it from elsewhere would otherwise move the mark its forgetting
   * leaves off the address the client itself retransmits from.
   */
  private static final class Client {
    final Object home; // the address it is counted in, or null: not counted
    int floor;
    boolean hasFloor;
    long lastRan;
    OtherOrigins others; // null until a call comes from an address other than home

    Client(long lastRan, Object sender) {
      this.home = sender;
      this.lastRan = lastRan;
    }

    void ran(long nanos, Object from) {
      if (nanos - lastRan >= 0) {
        lastRan = nanos;
      }
      if (Objects.equals(from, home)) {
        return;
      }
      if (others == null) {
        others = new OtherOrigins();
      }
      others.add(from);
    }

    void raiseFloor(int xid) {
      if (!hasFloor || xid - floor > 0) {
        floor = xid;
        hasFloor = true;
      }
    }
  }

  /** A call running: when it started and whose share its entry will count in. */
  private record Started(long nanos, Object sender) {}

  /** The finished entries of one sender address in a shard, oldest first, and their bytes. */
  private static final class Share {
    final ArrayDeque<Key> keys = new ArrayDeque<>();
    long bytes;
  }

  /** One share of the cache, for the clients that hash to it; its methods hold its lock. */
  private final class Shard {
    private final int maxEntries;
    private final long maxBytes;
    private final int maxEntriesPerSender;
    private final long maxBytesPerSender;
    private final long ttlNanos;
    private final HashMap<Key, Started> running = new HashMap<>();
    private final LinkedHashMap<Key, Entry> done = new LinkedHashMap<>(); // oldest first
    // Each sender's keys in done, in done's order: its oldest is always at the head of both.
    private final HashMap<Object, Share> shares = new HashMap<>();
    // Per client its floor, so a later retransmission of a forgotten call is recognised. Least
    // recently used clients go first, and mark their address in forgotten.
    private final LinkedHashMap<ClientId, Client> clients = new LinkedHashMap<>(16, 0.75f, true);
    // The same clients by the address they came from, each in the same order: one address holds
    // at most half of the clients, and past that its own least recently seen go.
    private final HashMap<Object, LinkedHashMap<ClientId, Client>> clientsByHome = new HashMap<>();
    // Addresses of forgotten clients that may still retransmit, and until when.
    private final ForgottenAddresses forgotten = new ForgottenAddresses(MAX_FORGOTTEN_ADDRESSES);
    // Untagged calls pushed out before their ttl: their retransmissions are "outcome unknown".
    private final PushedOutCalls<Key> pushedOut;
    private long bytes;
    private final LongSupplier clock;

    Shard(int maxEntries, long maxBytes, long ttlNanos, LongSupplier clock) {
      this.maxEntries = Math.max(1, maxEntries);
      this.maxBytes = Math.max(1, maxBytes);
      this.maxEntriesPerSender = Math.max(1, this.maxEntries / 2);
      this.maxBytesPerSender = Math.max(1, this.maxBytes / 2);
      this.ttlNanos = ttlNanos;
      this.clock = clock;
      this.pushedOut = new PushedOutCalls<>(this.maxEntries, maxEntriesPerSender, MAX_FORGOTTEN_ADDRESSES);
    }

    synchronized Lookup begin(Key key, CallTag tag, long serverEpoch, Object sender,
        CallConnection connection) {
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
      ClientId id = clientOf(key);
      Client client = touch(id);
      if (tag != null && tag.attempt() > 1 && !provablyNew(key, tag, serverEpoch, client, sender, now)) {
        return unaccounted(key, connection);
      }
      if (tag == null && key.address() != null && pushedOut.mayHaveRun(key, sender, now)) {
        return unaccounted(key, connection);
      }
      running.put(key, new Started(now, sender));
      if (client == null) {
        client = new Client(now, sender);
        if (mayBeForgotten(sender, now)) {
          // Perhaps a forgotten client back: its xids before this one may have run.
          client.raiseFloor(key.xid() - 1);
        }
        addClient(id, client, now);
      } else {
        client.ran(now, sender);
      }
      return EXECUTE;
    }

    /** A retransmission whose call may have run: dropped if answered over its connection. */
    private Lookup unaccounted(Key key, CallConnection connection) {
      if (connection != null && connection.replied(key)) {
        inProgressDropped.increment();
        return IN_PROGRESS;
      }
      outcomeUnknown.increment();
      return UNKNOWN;
    }

    private boolean provablyNew(Key key, CallTag tag, long serverEpoch, Client client,
        Object sender, long now) {
      if (tag.epoch() != serverEpoch) {
        return false;
      }
      if (client == null) {
        return !mayBeForgotten(sender, now);
      }
      return !client.hasFloor || key.xid() - client.floor > 0;
    }

    /** Whether a client forgotten from {@code sender}'s address may still retransmit now. */
    private boolean mayBeForgotten(Object sender, long now) {
      return forgotten.covers(sender, now);
    }

    synchronized void complete(Key key, byte[] reply) {
      Started started = running.remove(key);
      if (started == null) {
        return;
      }
      done.put(key, new Entry(started.nanos(), reply, started.sender()));
      bytes += reply.length;
      if (started.sender() != null) {
        Share share = shares.computeIfAbsent(started.sender(), s -> new Share());
        share.keys.add(key);
        share.bytes += reply.length;
        while (share.keys.size() > maxEntriesPerSender || share.bytes > maxBytesPerSender) {
          forget(share.keys.peekFirst()); // over its share: its own oldest goes, not another's
        }
      }
      evict(clock.getAsLong());
    }

    synchronized void abandon(Key key) {
      running.remove(key);
    }

    synchronized int size() {
      return running.size() + done.size();
    }

    synchronized int replies() {
      return done.size();
    }

    synchronized long bytes() {
      return bytes;
    }

    private void evict(long now) {
      while (!done.isEmpty()) {
        Map.Entry<Key, Entry> oldest = done.entrySet().iterator().next();
        boolean expired = now - oldest.getValue().createdNanos > ttlNanos;
        if (!expired && running.size() + done.size() <= maxEntries && bytes <= maxBytes) {
          return;
        }
        forget(oldest.getKey());
      }
    }

    /** Drops a finished entry, the oldest of its sender's. */
    private void forget(Key key) {
      Entry entry = done.remove(key);
      bytes -= entry.reply.length;
      if (key.address() != null) { // untagged: its retransmission would say nothing of it
        pushedOut.add(key, entry.sender, entry.createdNanos + ttlNanos, clock.getAsLong());
      }
      if (entry.sender != null) {
        Share share = shares.get(entry.sender);
        if (key.equals(share.keys.peekFirst())) { // always, as both keep one order
          share.keys.pollFirst();
        } else {
          share.keys.remove(key);
        }
        share.bytes -= entry.reply.length;
        if (share.keys.isEmpty()) {
          shares.remove(entry.sender);
        }
      }
      ClientId id = clientOf(key);
      Client client = touch(id);
      if (client == null) {
        client = new Client(entry.createdNanos, entry.sender);
        client.raiseFloor(key.xid());
        addClient(id, client, clock.getAsLong());
      } else {
        client.ran(entry.createdNanos, entry.sender);
        client.raiseFloor(key.xid());
      }
    }

    /** The client, made the most recently seen of all and of its address; null if unknown. */
    private Client touch(ClientId id) {
      Client client = clients.get(id);
      if (client != null && client.home != null) {
        clientsByHome.get(client.home).get(id);
      }
      return client;
    }

    /** Adds a client, then forgets whom that puts over the limits: its address's, then all. */
    private void addClient(ClientId id, Client client, long now) {
      clients.put(id, client);
      if (client.home != null) {
        LinkedHashMap<ClientId, Client> home =
            clientsByHome.computeIfAbsent(client.home, h -> new LinkedHashMap<>(16, 0.75f, true));
        home.put(id, client);
        if (home.size() > maxEntriesPerSender) {
          Iterator<Map.Entry<ClientId, Client>> oldest = home.entrySet().iterator();
          Map.Entry<ClientId, Client> forgottenClient = oldest.next();
          oldest.remove();
          clients.remove(forgottenClient.getKey());
          markForgotten(forgottenClient.getValue(), now);
        }
      }
      trimClients(now);
    }

    /** Forgets the least recently seen clients over the limit, marking their addresses. */
    private void trimClients(long now) {
      Iterator<Map.Entry<ClientId, Client>> it = clients.entrySet().iterator();
      while (clients.size() > maxEntries && it.hasNext()) {
        Map.Entry<ClientId, Client> oldest = it.next();
        it.remove();
        Client client = oldest.getValue();
        if (client.home != null) {
          LinkedHashMap<ClientId, Client> home = clientsByHome.get(client.home);
          home.remove(oldest.getKey());
          if (home.isEmpty()) {
            clientsByHome.remove(client.home);
          }
        }
        markForgotten(client, now);
      }
    }

    private void markForgotten(Client client, long now) {
      long until = client.lastRan + ttlNanos; // its retransmissions come before this
      if (until - now <= 0) {
        return;
      }
      OtherOrigins.mark(forgotten, client.home, client.others, until);
    }

  }
}
