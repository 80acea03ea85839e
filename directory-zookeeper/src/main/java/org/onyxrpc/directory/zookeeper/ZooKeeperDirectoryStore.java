package org.onyxrpc.directory.zookeeper;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.onyxrpc.directory.DirectoryStore;
import org.onyxrpc.directory.HostIdentity;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.StoreState;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DirectoryStore} in Apache ZooKeeper, through Apache Curator: one directory shared by
 * every machine whose directory uses the same ensemble and base path.
 *
 * <p>Each entry is an ephemeral znode under the base path, named by its host's id and its key
 * (see {@link StoredEntry}), so that two hosts never share one: it ends when its lease does, and
 * at once when the session of its directory ends. The entries registered through this directory
 * are kept here too and are the truth for this host: after a session expiry they are written
 * again as soon as ZooKeeper is reached, and {@link #listLocal} (what {@code rpcinfo -p} lists)
 * is them. A server bound to the wildcard address is stored with the address other machines use
 * ({@link HostIdentity#advertise}); their directories answer with it, never with their own
 * loopback.
 *
 * <p>Neither reads nor writes wait for ZooKeeper: reads are served from a snapshot that one
 * thread of this store refreshes every {@link Builder#snapshotTtl} (default 1 s), and that thread
 * alone writes this host's entries, soon after each change (a write in flight when the network
 * goes silent may wait as long as the partition lasts, and must hold up nobody). Znodes under
 * the base path that are not entries (longer than the 968 bytes of the longest entry, say, which are
 * not kept past their read) are skipped, with a warning at most once a minute. While ZooKeeper is
 * unreachable the store answers from the last snapshot, its {@link #state} is {@link
 * StoreState#STALE}, and registrations are kept here and written when it is back; one line is
 * logged per change of state. It serves the other directories' entries for {@link
 * Builder#maxStaleness} after it last read them, and only this host's afterwards ({@link
 * StoreState#LOCAL_ONLY}); a look-up that then finds nothing fails rather than answer that nothing
 * is registered (see {@link org.onyxrpc.directory.DirectoryTable}). Until ZooKeeper has been reached once the store refuses (its
 * calls throw SYSTEM_ERR), so a directory never answers as if it knew. Lease ends are compared
 * with each machine's clock: keep the clocks within a fraction of the lease.
 */
public final class ZooKeeperDirectoryStore implements DirectoryStore {
  /**
   * Most entries of this host kept by default, as many as a DUMP reply may carry (see {@link
   * Builder#maxEntries}).
   */
  public static final int MAX_ENTRIES = InMemoryDirectoryStore.DEFAULT_MAX_ENTRIES;
  /** Other directories' entries read, per entry this host may keep: four full hosts' worth. */
  static final int OTHERS_PER_OWN = 4;
  /** The default of {@link Builder#maxStaleness}, in seconds. */
  public static final long DEFAULT_MAX_STALENESS_SECONDS = 30;
  private static final Duration DEFAULT_MAX_STALENESS = Duration.ofSeconds(DEFAULT_MAX_STALENESS_SECONDS);
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperDirectoryStore.class);
  /** How long close() waits for a write under way to end at its interrupt. */
  private static final long CLOSE_WAIT_MILLIS = 1_000;

  private final CuratorFramework client;
  private final String basePath;
  private final HostIdentity host;
  private final long refreshMillis;
  private final ScheduledExecutorService refresher;
  private final ConnectionStateListener listener = this::stateChanged;
  /** This host's entries; guarded by {@code this}. */
  private final OwnEntries own;
  /** Entries of other directories as last read, as this host serves them. */
  private volatile HostsReader.Read others = new HostsReader.Read(List.of(), List.of());
  /** STARTING, CURRENT, STALE or LOCAL_ONLY, and the log line of each change. */
  private final StoreStates states;
  /** Reads the other directories' entries; the refresher's. */
  private final HostsReader reader;
  /** Writes this host's entries; the refresher's. */
  private final HostWriter writer;
  /** Reads of other directories' entries that succeeded, for tests that wait for one. */
  private final AtomicLong refreshes = new AtomicLong();
  /** Reads of other directories' entries begun while connected, for tests that wait for some. */
  private final AtomicLong reads = new AtomicLong();
  /** Own entries may differ from ZooKeeper's (a failed write, an outage, a new session). */
  private volatile boolean dirty = true;
  /** A {@link #flush} is queued on the refresher: one at a time, however many puts come. */
  private final AtomicBoolean flushQueued = new AtomicBoolean();

  private ZooKeeperDirectoryStore(Builder b) {
    this.client = b.client;
    this.basePath = b.basePath;
    this.host = b.host == null ? HostIdentity.detect() : b.host;
    this.refreshMillis = Math.max(50, b.snapshotTtl.toMillis());
    this.own = new OwnEntries(b.maxEntries);
    // Never below a few refreshes: a current store must not flap between two of them.
    this.states = new StoreStates(new SnapshotAge(b.ticker,
        Math.max(b.maxStaleness.toNanos(), TimeUnit.MILLISECONDS.toNanos(3 * refreshMillis))), this);
    this.reader = new HostsReader(b.client, b.basePath, this.host.id(), OTHERS_PER_OWN * b.maxEntries,
        new SkippedZnodes(System::nanoTime));
    this.writer = new HostWriter(b.client, b.basePath, this.host);
    this.refresher = Executors.newSingleThreadScheduledExecutor(
        new DefaultThreadFactory("onyx-zookeeper-directory", true));
    client.getConnectionStateListenable().addListener(listener);
    refresher.scheduleWithFixedDelay(this::refresh, 0, refreshMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * A builder over a Curator client that the caller has started and will close.
   *
   * @param client the started client; the store never closes it
   * @return a builder with the defaults below
   * @throws NullPointerException if {@code client} is null
   */
  public static Builder builder(CuratorFramework client) {
    return new Builder(Objects.requireNonNull(client, "client"));
  }

  /**
   * The host this store writes as.
   *
   * @return the builder's {@code host}, or the one detected
   */
  public HostIdentity host() {
    return host;
  }

  /**
   * {@link StoreState#STALE} while ZooKeeper is unreachable, {@link StoreState#LOCAL_ONLY} once
   * the other directories' entries were last read longer ago than {@link Builder#maxStaleness}.
   */
  @Override
  public StoreState state() {
    return states.state();
  }

  /**
   * Waits until ZooKeeper has been reached once; true if it was within {@code timeout}.
   *
   * @param timeout how long to wait, to the millisecond
   * @return true once ZooKeeper has been reached, false if {@code timeout} passed first
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public boolean awaitReached(Duration timeout) throws InterruptedException {
    return states.awaitReached(timeout);
  }

  /** How many reads of the other directories' entries succeeded since start. */
  long refreshes() {
    return refreshes.get();
  }

  /** How many reads of the other directories' entries began while connected, whatever their end. */
  long reads() {
    return reads.get();
  }

  /** How many znodes under the base path the last read skipped as not being entries. */
  int skipped() {
    return reader.skipped().lastRead();
  }

  @Override
  public synchronized boolean put(Registration registration) {
    requireReached();
    if (!own.put(registration)) {
      return false;
    }
    flushSoon();
    return true;
  }

  /**
   * Queues the write of the own entries changed on the refresher. The caller never waits for
   * ZooKeeper, which may take as long as an outage does to answer, and would hold every look-up
   * meanwhile.
   */
  private void flushSoon() {
    if (flushQueued.compareAndSet(false, true)) {
      try {
        refresher.execute(this::flush);
      } catch (RejectedExecutionException e) {
        flushQueued.set(false); // closed
      }
    }
  }

  @Override
  public synchronized boolean remove(ServiceInstance.Key key) {
    requireReached();
    boolean removed = own.remove(key);
    if (removed) {
      flushSoon();
    }
    return removed;
  }

  @Override
  public List<Registration> list(long nowMillis) {
    requireReached();
    List<Registration> live = listLocal(nowMillis);
    if (states.othersTooOld()) {
      return live; // what other machines registered is no longer known
    }
    // Both parts are bounded (own by put, others as read): a host full of its own entries still
    // finds the others' by name.
    for (Registration r : others.otherHosts()) {
      if (!r.expired(nowMillis)) {
        live.add(r);
      }
    }
    return live;
  }

  @Override
  public synchronized List<Registration> listLocal(long nowMillis) {
    requireReached();
    List<Registration> live = own.live(nowMillis);
    for (Registration r : others.sameHost()) {
      if (!r.expired(nowMillis) && !own.contains(r.instance().key())) {
        live.add(r); // another directory of this host (same id): its addresses are good here as they are
      }
    }
    return live;
  }

  @Override
  public synchronized List<Registration> listLocal(int program, long nowMillis) {
    requireReached();
    List<Registration> live = own.live(program, nowMillis);
    for (Registration r : others.sameHost()) { // another directory of this host: rarely any
      if (r.instance().program() == program && !r.expired(nowMillis) && !own.contains(r.instance().key())) {
        live.add(r);
      }
    }
    return live;
  }

  /** Removes this host's expired entries; other hosts' are their directories' to sweep, and never listed. */
  @Override
  public synchronized int removeExpired(long nowMillis) {
    if (states.starting()) {
      return 0; // nothing registered yet
    }
    List<ServiceInstance.Key> expired = own.expired(nowMillis);
    for (ServiceInstance.Key key : expired) {
      remove(key);
    }
    return expired.size();
  }

  /** Stops refreshing; the Curator client is its owner's to close, which ends this directory's entries. */
  @Override
  public void close() {
    client.getConnectionStateListenable().removeListener(listener);
    refresher.shutdownNow();
    try {
      // A write under way (a stopping directory's withdrawals) ends at its interrupt: waited for,
      // so that nothing of this store runs or logs once close() has returned.
      refresher.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "ZooKeeper store at " + client.getZookeeperClient().getCurrentConnectionString() + basePath
        + " as host " + host.id();
  }

  private void requireReached() {
    if (states.starting()) {
      throw new RpcException(RpcStatus.SYSTEM_ERR, "ZooKeeper at "
          + client.getZookeeperClient().getCurrentConnectionString() + " not reached yet");
    }
  }

  private void stateChanged(CuratorFramework c, ConnectionState newState) {
    switch (newState) {
      case CONNECTED, RECONNECTED -> {
        LOG.info("ZooKeeper {}: {}", newState, this);
        dirty = true; // after a session expiry, this host's ephemeral entries are gone
        refresher.execute(this::refresh);
      }
      case SUSPENDED -> stale("connection SUSPENDED");
      case LOST -> {
        LOG.warn("ZooKeeper session LOST: {} writes this host's entries again when it is back", this);
        stale("session LOST");
      }
      default -> LOG.info("ZooKeeper {}: {}", newState, this);
    }
  }

  private void stale(String why) {
    dirty = true; // what is registered meanwhile is written when ZooKeeper is back
    states.stale(why, others.size());
  }

  private void failed(String what, Exception e) {
    if (e instanceof InterruptedException) {
      // Only close() interrupts the refresher: no outage to tell (this host's entries end with
      // the Curator client's session), where "ZooKeeper unreachable" was logged on every stop.
      Thread.currentThread().interrupt();
      return;
    }
    dirty = true; // written again at the next refresh that reaches ZooKeeper
    stale("cannot " + what + ": " + e.getClass().getSimpleName());
  }

  /** On the refresher: writes this host's entries again if needed, then reads the others'. */
  private void refresh() {
    if (!client.getZookeeperClient().isConnected()) {
      stale("not connected");
      return;
    }
    reads.incrementAndGet();
    try {
      writeOwn();
      long started = states.readBegins();
      others = reader.read(writer.session());
      states.read(started, own.size(), others.size());
      refreshes.incrementAndGet();
    } catch (HostsReader.HostsUnreadable e) {
      states.unreadable(e, others.size());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return;
      }
      stale(e.toString());
    }
  }

  /** On the refresher: writes what was put or removed since, unless a refresh is to write everything. */
  private void flush() {
    flushQueued.set(false); // first: a put meanwhile queues another
    if (!client.getZookeeperClient().isConnected()) {
      return; // the refresh that finds ZooKeeper again writes everything (stale() marked it dirty)
    }
    try {
      writeOwn();
    } catch (Exception e) {
      failed("write this host's entries", e);
    }
  }

  /**
   * Makes ZooKeeper hold this host's entries: every one after a new session or a failure,
   * else those changed since. Reads them under the lock, writes without it.
   */
  private void writeOwn() throws Exception {
    Map<ServiceInstance.Key, Registration> entries;
    boolean all;
    synchronized (this) {
      all = dirty;
      dirty = false; // first: a state change meanwhile asks again
      entries = own.toWrite(all);
    }
    writer.write(entries, all);
  }

  /** Configures a {@link ZooKeeperDirectoryStore}. */
  public static final class Builder {
    private final CuratorFramework client;
    private String basePath = "/onyx/directory";
    private Duration snapshotTtl = Duration.ofSeconds(1);
    private HostIdentity host;
    private int maxEntries = MAX_ENTRIES;
    private Duration maxStaleness = DEFAULT_MAX_STALENESS;
    private LongSupplier ticker = System::nanoTime;

    Builder(CuratorFramework client) {
      this.client = client;
    }

    /**
     * The znode under which entries live; default {@code /onyx/directory}.
     *
     * @param path an absolute znode path, not ending in {@code /}
     * @return this builder
     * @throws IllegalArgumentException if {@code path} is not such a path
     */
    public Builder basePath(String path) {
      if (!path.startsWith("/") || path.endsWith("/") || path.length() < 2) {
        throw new IllegalArgumentException("basePath must be an absolute znode path: " + path);
      }
      this.basePath = path;
      return this;
    }

    /**
     * How often other hosts' entries are read again, so how old a read may be; default 1 s,
     * at least 50 ms. This host's own entries are always current.
     *
     * @param ttl zero or more; under 50 ms counts as 50 ms
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is negative
     */
    public Builder snapshotTtl(Duration ttl) {
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("snapshotTtl must not be negative: " + ttl);
      }
      this.snapshotTtl = ttl;
      return this;
    }

    /**
     * Who this host is and where other machines reach it; default {@link HostIdentity#detect()}.
     * Directories with the same id are on one machine: each serves the others' entries as they
     * were registered (a loopback address included).
     *
     * @param host this host's id and the addresses it advertises; not null
     * @return this builder
     */
    public Builder host(HostIdentity host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * Most entries of this host (more are refused), an eighth of them kept for the superuser's
     * (as in {@link InMemoryDirectoryStore}); four times as many of other directories' are read
     * and listed. 1..{@value ZooKeeperDirectoryStore#MAX_ENTRIES}, default {@value ZooKeeperDirectoryStore#MAX_ENTRIES}.
     *
     * @param max how many entries this host may hold
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is out of range
     */
    public Builder maxEntries(int max) {
      if (max < 1 || max > MAX_ENTRIES) {
        throw new IllegalArgumentException("maxEntries must be 1.." + MAX_ENTRIES + ": " + max);
      }
      this.maxEntries = max;
      return this;
    }

    /**
     * How long after its last read of ZooKeeper the store still serves other machines' entries;
     * default {@value #DEFAULT_MAX_STALENESS_SECONDS} s (the default lease, so a server's entry
     * is served no longer than its lease would have kept it), at least three {@link
     * #snapshotTtl}s. Past it, the store is {@link StoreState#LOCAL_ONLY}: it serves this host's
     * entries only, and a look-up that finds none fails rather than answer that nothing is
     * registered. An entry whose lease ends is never served, whatever this bound.
     *
     * @param bound more than zero
     * @return this builder
     * @throws IllegalArgumentException if {@code bound} is zero or negative
     */
    public Builder maxStaleness(Duration bound) {
      if (bound.isNegative() || bound.isZero()) {
        throw new IllegalArgumentException("maxStaleness must be positive: " + bound);
      }
      this.maxStaleness = bound;
      return this;
    }

    /** The time source of {@link #maxStaleness}, in nanoseconds: {@link System#nanoTime} but in tests. */
    Builder ticker(LongSupplier nanos) {
      this.ticker = Objects.requireNonNull(nanos, "nanos");
      return this;
    }

    /**
     * The store; the Curator client must be started. It refreshes on a thread of its own until closed.
     *
     * @return a new store, already refreshing; the caller closes it
     * @throws IllegalStateException if the Curator client was never started, or is closed
     */
    public ZooKeeperDirectoryStore build() {
      // A client that is not started never connects: the store would say "not reached yet" for
      // ever, pointing at the ensemble rather than at the missing start().
      switch (client.getState()) {
        case LATENT -> throw new IllegalStateException(
            "the Curator client is not started: call its start() before building the store");
        case STOPPED -> throw new IllegalStateException("the Curator client is closed");
        default -> { }
      }
      return new ZooKeeperDirectoryStore(this);
    }
  }
}
