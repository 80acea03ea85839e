package org.onyxrpc.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.local.LocalChannel;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.transport.AcceptFailures;
import org.onyxrpc.internal.transport.ClientAddress;
import org.onyxrpc.internal.transport.NettyTransports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits on the listening channel and keeps the server within its maximum of connections. At the
 * maximum, a newcomer takes the place of a connection with no call in flight, so that idle or
 * slow peers cannot lock everyone out; only when every connection has calls in flight is the
 * newcomer closed. A connection holding part of a record that arrives slower than the minimum
 * rate (a peer trickling it byte by byte) goes first, the one whose record began earliest; only
 * then the connection quiet longest: a pooled client idle between its calls is not closed while
 * a trickler keeps its place by sending a byte now and then. Last, a connection whose calls all
 * wait watching it ({@link CallContext#onConnectionClosed}) counts as having none in flight:
 * otherwise waits that cost their peers nothing (a queue's receive without end, one per
 * connection from two addresses) kept every newcomer out.
 *
 * <p>Connections are free to open, and one call in flight on each (a slow one, or one that waits
 * asynchronously) would make them all unevictable: so the connections of one {@code
 * ClientAddress} hold at most three quarters of the maximum, the last quarter left to other
 * addresses. At its share, a newcomer takes the place of its own address's idlest connection, or
 * is closed. A Unix-domain peer's "address" is its uid, which the kernel reports (SO_PEERCRED).
 * Finding the idlest looks at every connection; at an address's share, one look ranks a
 * sixteenth of its share of its idle connections for its next newcomers ({@link #nextRanked}),
 * and at the maximum a sixteenth of the maximum of anyone's for the next newcomers of any
 * address, so that a flood from one address, or many, does not hold the accepting thread, and
 * the newcomers queued behind the flood's, one look per newcomer.
 */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
  /**
   * One scan of the connections ranks up to this part of an address's share of its idle ones.
   * A scan costs a look at every connection, on the accepting thread; one per newcomer of an
   * address at its share (a flood of half-records, each connection idle) took some 0.5 ms per
   * accept at 1,024 connections, and another address's newcomer waited behind the flood's in the
   * kernel's accept queue (0.7 s after 1,500 such connections, 3.7 s on a loaded machine).
   */
  private static final int RANKED_PART = 16;
  private static final AttributeKey<Object> CLIENT = AttributeKey.valueOf(ConnectionLimiter.class, "client");
  /** Set while a connection is counted in {@code open} and its address's share. */
  private static final AttributeKey<AtomicBoolean> COUNTED =
      AttributeKey.valueOf(ConnectionLimiter.class, "counted");

  private final int maxConnections;
  private final int maxPerAddress;
  private final ChannelGroup channels;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<Object, Integer> perAddress = new ConcurrentHashMap<>();
  /** Connections with threads of their own (TcpIo.DEDICATED_THREAD), admitted and not closed. */
  private final Set<LimitedConnection> dedicated = ConcurrentHashMap.newKeySet();
  private final RateLimitedLog refusals = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private final RateLimitedLog evictions = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private final AcceptFailures acceptFailures = new AcceptFailures();
  final LongAdder rejected = new LongAdder(); // newcomers refused and idlers evicted
  /** Scans of every connection for the idlest (for tests: one per many newcomers of a flood). */
  final LongAdder scans = new LongAdder();
  /** How many of an address's idle connections one scan ranks for its next newcomers. */
  private final int ranked;
  /** The last address scanned at its share: its idle connections, best first ({@link #nextRanked}). */
  private final AtomicReference<Ranked> lastRanked = new AtomicReference<>();
  /** How many idle connections of any address one scan at the maximum ranks for the next newcomers. */
  private final int anyRankedCount;
  /** The idle connections of any address the last scan at the maximum ranked, best first. */
  private final AtomicReference<Ranked> anyRanked = new AtomicReference<>();
  /** What {@link #anyRanked} is of: every address. */
  private static final Object ANY = new Object();

  ConnectionLimiter(int maxConnections, ChannelGroup channels) {
    this.maxConnections = maxConnections;
    this.maxPerAddress = maxConnections - maxConnections / 4;
    this.ranked = Math.max(1, maxPerAddress / RANKED_PART);
    this.anyRankedCount = Math.max(1, maxConnections / RANKED_PART);
    this.channels = channels;
  }

  /** A failed accept(2) on the listening channel: see {@link AcceptFailures}. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    acceptFailures.failed(ctx, cause);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel child = (Channel) msg;
    Object address = clientOf(child); // null: in-process
    child.attr(CLIENT).set(address);
    if (!admit(address, child.remoteAddress())) {
      refuse(ctx, child);
      return;
    }
    AtomicBoolean counted = new AtomicBoolean(true);
    child.attr(COUNTED).set(counted);
    child.closeFuture().addListener(f -> uncount(counted, address));
    channels.add(child);
    ctx.fireChannelRead(child);
  }

  /**
   * Admits a connection read by a thread of its own ({@link TcpIo#DEDICATED_THREAD}), counted by
   * {@code client} ({@link #clientOf}), making room as for any other; false if it is refused (the
   * caller closes it). Once admitted, it is a candidate for eviction until {@link #closed}.
   */
  boolean admit(LimitedConnection connection, Object client) {
    if (!admit(client, connection.remoteAddress())) {
      return false;
    }
    dedicated.add(connection);
    return true;
  }

  /** A connection admitted by {@link #admit(LimitedConnection, Object)} has closed. */
  void closed(LimitedConnection connection) {
    dedicated.remove(connection);
    uncount(connection.counted(), connection.client());
  }

  /**
   * Counts a newcomer in the maximum and {@code address}'s share (unless null: in-process),
   * making room by evicting the idlest connection; false if it is refused.
   */
  private boolean admit(Object address, SocketAddress remote) {
    Admission admission = address == null ? Admission.IN_SHARE : admitFrom(remote, address);
    if (admission == Admission.REFUSED) {
      return false;
    }
    // A newcomer that took the place of its own address's connection needs no other's place.
    if (open.incrementAndGet() > maxConnections && admission == Admission.IN_SHARE) {
      LimitedConnection victim = nextRanked(anyRanked, null);
      if (victim == null) {
        victim = idlest(null);
      }
      if (victim == null) {
        open.decrementAndGet();
        rejected.increment();
        refusals.warn(LOG, "refusing {}: already {} connections, all with calls in flight",
            remote, maxConnections);
        forget(address);
        return false;
      }
      rejected.increment();
      evictions.warn(LOG, "closing {}, the idlest of {} connections, to make room for {}",
          victim.remoteAddress(), maxConnections, remote);
      evict(victim);
    }
    return true;
  }

  /**
   * Closes a refused newcomer. A socket is closed before it is registered (the kernel tells the
   * peer); an in-process caller would never learn of that (Netty's local channels leave a
   * pending connect pending), so it is connected first, then closed.
   */
  private static void refuse(ChannelHandlerContext ctx, Channel child) {
    if (child instanceof LocalChannel) {
      child.pipeline().addFirst(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelActive(ChannelHandlerContext childCtx) {
          childCtx.close();
        }
      });
      ctx.fireChannelRead(child);
    } else {
      child.unsafe().closeForcibly();
    }
  }

  /**
   * What an admitted connection is counted by: its {@code ClientAddress}, a Unix-domain peer's
   * user, or null (in-process). Set before the connection's pipeline is built.
   */
  static Object client(Channel child) {
    return child.attr(CLIENT).get();
  }

  /** The mark that {@code child} counts in the maximum and its share; null if it never did. */
  static AtomicBoolean counted(Channel child) {
    return child.attr(COUNTED).get();
  }

  /** The connections with threads of their own admitted and not closed; any thread may read it. */
  Iterable<LimitedConnection> dedicated() {
    return dedicated;
  }

  /** Connections open now. */
  int open() {
    return open.get();
  }

  /** Addresses (or Unix-domain users) with a connection counted now (for tests). */
  int addresses() {
    return perAddress.size();
  }

  /**
   * Counts {@code child} in its address's share, making room at the share by closing the
   * address's idlest connection; refuses (and closes) the newcomer if every one of them has calls
   * in flight.
   */
  private Admission admitFrom(SocketAddress remote, Object address) {
    if (perAddress.merge(address, 1, Integer::sum) <= maxPerAddress) {
      return Admission.IN_SHARE;
    }
    LimitedConnection victim = nextRanked(lastRanked, address);
    if (victim == null) {
      victim = idlest(address);
    }
    rejected.increment();
    if (victim == null) {
      forget(address);
      refusals.warn(LOG, "refusing {}: its address already has {} connections, all with calls in "
          + "flight (a quarter of the {} is kept for other addresses)", remote,
          maxPerAddress, maxConnections);
      return Admission.REFUSED;
    }
    evictions.warn(LOG, "closing {}, the idlest of its address's {} connections, to make room for {}",
        victim.remoteAddress(), maxPerAddress, remote);
    evict(victim);
    return Admission.REPLACING;
  }

  /**
   * Closes an evicted connection, its places given back at once, not once its close is done:
   * counted until then, the victims of a burst of newcomers from one address took the address
   * past its share and the server past its maximum, and another address's newcomer arriving
   * meanwhile was refused, every connection it saw having calls in flight or closing.
   */
  private void evict(LimitedConnection victim) {
    uncount(victim.counted(), victim.client());
    victim.close();
  }

  /** Gives back a connection's places, once, when it is evicted or closed. */
  private void uncount(AtomicBoolean counted, Object client) {
    if (counted != null && counted.compareAndSet(true, false)) {
      open.decrementAndGet();
      forget(client);
    }
  }

  /** A Unix-domain peer's user: what its connections are counted by. */
  private record LocalUser(int uid) {}

  /** What a connection is counted by: its {@link ClientAddress}, a Unix-domain peer's uid, or null. */
  static Object clientOf(Channel child) {
    Object address = ClientAddress.of(child.remoteAddress());
    if (address != null) {
      return address;
    }
    try {
      io.netty.channel.unix.PeerCredentials peer = NettyTransports.peerCredentials(child);
      return peer == null ? null : new LocalUser(peer.uid());
    } catch (IOException e) { // gone already: it counts for nobody while it closes
      return null;
    }
  }

  /** What a newcomer's address's share made of it. */
  private enum Admission { IN_SHARE, REPLACING, REFUSED }

  private void forget(Object address) {
    if (address != null) {
      perAddress.computeIfPresent(address, (k, n) -> n > 1 ? n - 1 : null);
    }
  }

  /**
   * The open connection (of {@code address}, unless null) that goes first: of those with no call
   * in flight, the one whose record, arriving slower than the minimum rate, began earliest, then
   * the one quiet longest; failing those, the one quiet longest of those with no call in flight
   * but a reply their peer has not taken, and of those whose every call waits watching the
   * connection ({@link CallContext#onConnectionClosed}: a queue's receive that waits
   * without end, say), which their procedures give up when it closes and their clients ask again.
   * Null if there is none. One chosen is not chosen again while it closes.
   */
  private LimitedConnection idlest(Object address) {
    scans.increment();
    Idlest idlest = new Idlest(address, System.nanoTime());
    for (Channel c : channels) {
      ReceiveGuard guard = c.isActive() ? c.pipeline().get(ReceiveGuard.class) : null;
      if (guard != null) {
        idlest.consider(guard);
      }
    }
    for (LimitedConnection c : dedicated) {
      idlest.consider(c);
    }
    LimitedConnection taken = idlest.take();
    if (address != null && ranked > 1) {
      lastRanked.set(new Ranked(address, idlest.idleAfter(taken, ranked - 1)));
    } else if (address == null && anyRankedCount > 1) {
      anyRanked.set(new Ranked(ANY, idlest.idleAfter(taken, anyRankedCount - 1)));
    }
    return taken;
  }

  /**
   * The next of the idle connections {@code ranking} holds, if it is of {@code address} (null:
   * the ranking at the maximum, of any address), still open, idle and not chosen; or null (a scan
   * is due). The ranking is at most a sixteenth of the share (or maximum) of newcomers old: a
   * connection quiet longest then may have read since, but it is idle still, or skipped. It holds
   * at most that many connections, closed ones too, until the next scan.
   */
  private static LimitedConnection nextRanked(AtomicReference<Ranked> ranking, Object address) {
    Ranked r = ranking.get();
    if (r == null || !r.address.equals(address == null ? ANY : address)) {
      return null;
    }
    for (int i; (i = r.next.getAndIncrement()) < r.connections.size(); ) {
      LimitedConnection c = r.connections.get(i);
      if (c.open() && !c.chosen() && c.evictable()) {
        c.choose();
        return c;
      }
    }
    ranking.compareAndSet(r, null);
    return null;
  }

  /** An address's idle connections ranked by one scan, best first, and the next to take. */
  private record Ranked(Object address, List<LimitedConnection> connections, AtomicInteger next) {
    Ranked(Object address, List<LimitedConnection> connections) {
      this(address, connections, new AtomicInteger());
    }
  }

  /** An idle connection as a scan saw it: its rank and since when (see {@link Idlest#consider}). */
  private record Candidate(LimitedConnection connection, int rank, long since) {}

  /** The choice of {@link #idlest}, as the candidates are seen. */
  private static final class Idlest {
    private final Object address;
    private final long now;
    private LimitedConnection idlest;
    private int idlestRank = Integer.MAX_VALUE;
    private long oldest;
    /** The idle ones (rank 0 or 1), for {@link #idleAfter}. */
    private final List<Candidate> idle = new ArrayList<>();

    Idlest(Object address, long now) {
      this.address = address;
      this.now = now;
    }

    void consider(LimitedConnection c) {
      if (!c.open() || c.chosen() || address != null && !address.equals(c.client())) {
        return;
      }
      boolean evictable = c.evictable();
      long behindSince = evictable ? c.behindMinimumRateSince(now) : -1;
      // A reply its peer has not taken (ReceiveGuard.evictable) goes after the idle, with the
      // watching ones: its peer may be stopped, not gone, but peers that ask for replies and never
      // read them must not hold every place.
      int rank = evictable ? (behindSince >= 0 ? 0 : 1)
          : c.onlyWatchingCalls() || c.onlyRepliesUntaken() ? 2 : -1; // -1: stays
      long since = rank == 0 ? behindSince : c.lastReadNanos();
      if (rank == 0 || rank == 1) {
        idle.add(new Candidate(c, rank, since));
      }
      if (rank >= 0 && (rank < idlestRank || rank == idlestRank && since - oldest < 0)) {
        idlest = c;
        idlestRank = rank;
        oldest = since;
      }
    }

    /**
     * Up to {@code count} of the address's idle connections but {@code taken}, in the order the
     * scan would choose them: behind the minimum rate first, earliest begun, then quiet longest.
     */
    List<LimitedConnection> idleAfter(LimitedConnection taken, int count) {
      idle.sort(Comparator.comparingInt(Candidate::rank)
          .thenComparing((a, b) -> Long.signum(a.since() - b.since())));
      List<LimitedConnection> after = new ArrayList<>(Math.min(count, idle.size()));
      for (int i = 0; i < idle.size() && after.size() < count; i++) {
        if (idle.get(i).connection() != taken) {
          after.add(idle.get(i).connection());
        }
      }
      return after;
    }

    /** The one chosen, marked so that it is not chosen again while it closes; or null. */
    LimitedConnection take() {
      if (idlest != null) {
        idlest.choose();
      }
      return idlest;
    }
  }
}
