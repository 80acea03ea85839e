package org.onyxrpc.server;

import java.net.SocketAddress;
import java.time.Duration;
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
   * call, never answered with this reply nor saved in its place. The digest also holds who the
   * connection vouches the caller is ({@link CallerIdentity}: its TLS certificate, or none, or
   * plaintext; its Unix-domain user): a replay skips interceptors, so it goes only to a caller
   * the server would have let make the call, not to another that copied it.
   */
  record Key(long clientHigh, long clientLow, SocketAddress address, int xid, int program,
      int version, int procedure, long digest) {}

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
  private final DuplicateCacheShard[] shards;
  final LongAdder replayed = new LongAdder();
  final LongAdder inProgressDropped = new LongAdder();
  final LongAdder outcomeUnknown = new LongAdder();

  DuplicateRequestCache(int maxEntries, long maxBytes, Duration ttl) {
    this(maxEntries, maxBytes, ttl, System::nanoTime);
  }

  /** With {@code clock} (nanoseconds, as {@link System#nanoTime}) ageing its entries: tests'. */
  DuplicateRequestCache(int maxEntries, long maxBytes, Duration ttl, LongSupplier clock) {
    int n = Math.max(1, Math.min(MAX_SHARDS, maxEntries / MIN_SHARD_ENTRIES));
    shards = new DuplicateCacheShard[n];
    for (int i = 0; i < n; i++) {
      shards[i] = new DuplicateCacheShard(maxEntries / n, maxBytes / n, ttl.toNanos(), clock,
          replayed, inProgressDropped, outcomeUnknown);
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
    for (DuplicateCacheShard shard : shards) {
      size += shard.size();
    }
    return size;
  }

  /** Replies saved: the entries of calls that finished, not of those still running. */
  int replies() {
    int replies = 0;
    for (DuplicateCacheShard shard : shards) {
      replies += shard.replies();
    }
    return replies;
  }

  long bytes() {
    long bytes = 0;
    for (DuplicateCacheShard shard : shards) {
      bytes += shard.bytes();
    }
    return bytes;
  }

  private DuplicateCacheShard shard(Key key) {
    if (shards.length == 1) {
      return shards[0];
    }
    int h = Long.hashCode(key.clientHigh()) * 31 + Long.hashCode(key.clientLow());
    h = h * 31 + (key.address() == null ? 0 : key.address().hashCode());
    h ^= h >>> 16;
    // Clients number their calls in turn: each run of 256 xids goes to the next shard.
    return shards[Math.floorMod(h + (key.xid() >>> XID_RUN_BITS), shards.length)];
  }
}
