package org.onyxrpc.server;

import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.server.DuplicateRequestCache.Key;
import org.onyxrpc.server.DuplicateRequestCache.Lookup;
import org.onyxrpc.server.DuplicateRequestCache.Verdict;

/**
 * One shard of a {@link DuplicateRequestCache}, for the clients that hash to it, with its share
 * of the limits: its running and finished calls, each sender's share of them, the clients it
 * knows (their floors) and the addresses of those it forgot. Every rule of the cache holds here
 * for the calls that reach this shard. Its methods hold its lock.
 */
final class DuplicateCacheShard {
  private static final Lookup EXECUTE = new Lookup(Verdict.EXECUTE, null);
  private static final Lookup IN_PROGRESS = new Lookup(Verdict.IN_PROGRESS, null);
  private static final Lookup UNKNOWN = new Lookup(Verdict.OUTCOME_UNKNOWN, null);

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
  private final ForgottenAddresses forgotten =
      new ForgottenAddresses(DuplicateRequestCache.MAX_FORGOTTEN_ADDRESSES);
  // Untagged calls pushed out before their ttl: their retransmissions are "outcome unknown".
  private final PushedOutCalls<Key> pushedOut;
  private long bytes;
  private final LongSupplier clock;
  // The whole cache's counters, which every shard adds to.
  private final LongAdder replayed;
  private final LongAdder inProgressDropped;
  private final LongAdder outcomeUnknown;

  DuplicateCacheShard(int maxEntries, long maxBytes, long ttlNanos, LongSupplier clock,
      LongAdder replayed, LongAdder inProgressDropped, LongAdder outcomeUnknown) {
    this.replayed = replayed;
    this.inProgressDropped = inProgressDropped;
    this.outcomeUnknown = outcomeUnknown;
    this.maxEntries = Math.max(1, maxEntries);
    this.maxBytes = Math.max(1, maxBytes);
    this.maxEntriesPerSender = Math.max(1, this.maxEntries / 2);
    this.maxBytesPerSender = Math.max(1, this.maxBytes / 2);
    this.ttlNanos = ttlNanos;
    this.clock = clock;
    this.pushedOut = new PushedOutCalls<>(this.maxEntries, maxEntriesPerSender,
        DuplicateRequestCache.MAX_FORGOTTEN_ADDRESSES);
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

  private record ClientId(long high, long low, SocketAddress address) {}

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
}
