package org.onyxrpc.directory.remote;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.DirectoryThreads;
import org.onyxrpc.internal.RegisteredVersions;
import org.onyxrpc.internal.rpcbind.ServerAddresses;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DirectoryClient}'s view of the directory: the last look-up and when it was made,
 * the instances dropped for failing and until when, a client per instance in use, and the
 * round-robin position. Every map here is bounded by the client's maximum instances per version
 * times the versions a look-up found (a name's; by number, one).
 *
 * <p>A look-up that fails while instances are known keeps them (the directory, or the store
 * behind it, being down says nothing about the servers): calls go on to the last known
 * instances, one caller tries the directory again at most once a second while the others do not
 * wait for it, and the change of state is logged once each way.
 */
final class InstanceCache {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceCache.class);
  static final long STALE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final DirectoryClientConfig config;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  /** Where look-ups for callers that must not wait are made. */
  private final DirectoryThreads threads = DirectoryThreads.SHARED.acquire();
  /** The look-up under way, if one is. */
  private final AtomicReference<CompletableFuture<Void>> lookingUp = new AtomicReference<>();
  private final Map<InetSocketAddress, InstanceClient> clients = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, Long> dropped = new ConcurrentHashMap<>();
  private final AtomicInteger turn = new AtomicInteger();
  private volatile List<ServiceInstance> found = List.of();
  /** By program number, when the look-up found nothing: the program's other versions, or null. */
  private volatile String otherVersions;
  private volatile long foundAt = Long.MIN_VALUE;
  private volatile boolean stale; // the last look-up failed and found is what came before
  private volatile boolean closed;
  private final LongSupplier clock;
  private final LossRecheck recheck; // how long a look-up is good for: less after a loss

  InstanceCache(DirectoryClientConfig config) {
    this(config, System::nanoTime);
  }

  /** {@code clock}: {@link System#nanoTime}, or a test's. */
  InstanceCache(DirectoryClientConfig config, LongSupplier clock) {
    this.config = config;
    this.clock = clock;
    this.recheck = new LossRecheck(config.cacheTtl());
  }

  /** The instance the next call of {@code procedure} goes to, after a look-up if one is due. */
  InetSocketAddress next(Procedure<?, ?> procedure) {
    return pick(procedure, candidates(procedure.program(), procedure.version()));
  }

  /**
   * As {@link #next}, waiting for a look-up at most {@code deadline}, the call's (null: the
   * look-up's own time). A call's deadline is the whole time it may take; before, a directory
   * that did not answer held a call given 200 ms for the look-up's timeout (a RemoteDirectory's
   * 5 s per request).
   */
  InetSocketAddress next(Procedure<?, ?> procedure, Duration deadline) {
    if (deadline == null) {
      return next(procedure);
    }
    lookUpWithin(deadline);
    return nextKnown(procedure);
  }

  /** As {@link #untried}, waiting for a look-up at most {@code deadline} (null: its own time). */
  InetSocketAddress untried(Procedure<?, ?> procedure, Set<InetSocketAddress> tried, Duration deadline) {
    if (deadline == null) {
      return untried(procedure, tried);
    }
    try {
      lookUpWithin(deadline);
    } catch (RpcException e) {
      return null;
    }
    return untriedKnown(procedure, tried);
  }

  /** A look-up if one is due, on a directory worker, waited for at most {@code deadline}. */
  private void lookUpWithin(Duration deadline) {
    if (due()) {
      CompletableFuture<Void> before = lookingUp.get();
      CompletableFuture<Void> running = lookUpInBackground();
      // As refresh(): wait for one's own look-up, or for any while nothing is known.
      if (running != before || found.isEmpty()) {
        awaitWithin(running, deadline);
      }
    }
  }

  /**
   * {@link #ready} bounded by the call's {@code deadline} (null: the look-up's own time): the
   * call fails UNAVAILABLE if nothing is known by then. The look-up goes on, for the next calls.
   */
  CompletableFuture<Void> ready(Duration deadline) {
    CompletableFuture<Void> ready = ready();
    if (deadline == null || ready.isDone()) {
      return ready;
    }
    return ready.copy().orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS).exceptionallyCompose(failure -> {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      return CompletableFuture.failedFuture(cause instanceof TimeoutException ? lookUpTooLong(deadline) : failure);
    });
  }

  private void awaitWithin(CompletableFuture<Void> running, Duration deadline) {
    try {
      running.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (found.isEmpty()) {
        throw lookUpTooLong(deadline);
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RpcException failed) {
        throw failed;
      }
      throw new CompletionException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(RpcStatus.CANCELLED, "interrupted while " + config.directory()
          + " looked up " + wanted() + "; the call was not sent", e);
    }
  }

  private RpcException lookUpTooLong(Duration deadline) {
    return new RpcException(RpcStatus.UNAVAILABLE, "no instance of " + wanted() + " known: "
        + config.directory() + " did not answer a look-up within the call's deadline of "
        + deadline.toMillis() + " ms; the call was not sent");
  }

  /** As {@link #next}, among the instances known: for callers that {@link #ready} prepared. */
  InetSocketAddress nextKnown(Procedure<?, ?> procedure) {
    return pick(procedure, known(procedure.program(), procedure.version()));
  }

  /**
   * Where a call that may go to another instance goes: one of its program version's not in
   * {@code tried}, after a look-up if one is due (the instance that failed made it due, so a
   * server that moved is found by the call that failed on its old address); null when every
   * instance was tried, or the look-up failed with nothing known (the call's own failure says
   * more).
   */
  InetSocketAddress untried(Procedure<?, ?> procedure, Set<InetSocketAddress> tried) {
    try {
      return pickUntried(candidates(procedure.program(), procedure.version()), tried);
    } catch (RpcException e) {
      return null;
    }
  }

  /** As {@link #untried}, among the instances known: for callers that {@link #lookedUp} prepared. */
  InetSocketAddress untriedKnown(Procedure<?, ?> procedure, Set<InetSocketAddress> tried) {
    return pickUntried(known(procedure.program(), procedure.version()), tried);
  }

  private InetSocketAddress pickUntried(List<InetSocketAddress> candidates, Set<InetSocketAddress> tried) {
    List<InetSocketAddress> left = candidates.stream().filter(a -> !tried.contains(a)).toList();
    return left.isEmpty() ? null : left.get(Math.floorMod(turn.getAndIncrement(), left.size()));
  }

  private InetSocketAddress pick(Procedure<?, ?> procedure, List<InetSocketAddress> candidates) {
    if (candidates.isEmpty()) {
      // Found by name, the look-up has every version of the name: say which there are, as a
      // server's PROG_MISMATCH would, though nothing was sent and the status stays UNAVAILABLE.
      // By program number it asked for one version only, and then for the program's others if
      // it found none (a call of another version says which it asked for, since the directory
      // may well have the one called).
      boolean another = config.name() == null
          && (procedure.program() != config.program() || procedure.version() != config.version());
      String registered = config.name() == null ? (another ? null : otherVersions)
          : RegisteredVersions.described(found.stream()
              .filter(i -> i.program() == procedure.program() && i.transport() == config.transport())
              .map(ServiceInstance::version).toList());
      throw new RpcException(RpcStatus.UNAVAILABLE, "no instance of "
          + (config.name() != null ? config.name() + " " : "")
          + ProgramVersion.describe(procedure.program(), procedure.version()) + " over "
          + config.transport() + " in " + config.directory() + " (calling " + procedure.name() + ")"
          + (config.name() != null && found.isEmpty() ? ": the directory has nothing registered under that name"
              : registered == null ? "" : ": the directory has " + registered + " of it over " + config.transport())
          + (another ? ": this client looks up " + ProgramVersion.describe(config.program(), config.version())
              + " only (DirectoryClientBuilder.program)" : ""));
    }
    return candidates.get(Math.floorMod(turn.getAndIncrement(), candidates.size()));
  }

  /** What this client calls: the service's name, or the program version it was given. */
  private String wanted() {
    return config.name() != null ? config.name()
        : ProgramVersion.describe(config.program(), config.version());
  }

  /** The live instances of a program version, dropped ones left out unless all are dropped. */
  List<InetSocketAddress> candidates(int program, int version) {
    if (due()) {
      refresh();
    }
    return known(program, version);
  }

  /**
   * For a caller that must not wait (an asynchronous call, perhaps made on an event loop):
   * completes at once while instances are known, a look-up that is due going on meanwhile on a
   * directory worker; with none known, when that look-up ends, failure included. Never blocks.
   */
  CompletableFuture<Void> ready() {
    if (!due()) {
      return DONE;
    }
    CompletableFuture<Void> running = lookUpInBackground();
    return found.isEmpty() ? running : DONE;
  }

  /**
   * For an asynchronous call that failed over: completes, normally whatever the outcome, once the
   * look-up that the failure made due has ended on a directory worker; at once when none is due.
   * Never blocks.
   */
  CompletableFuture<Void> lookedUp() {
    return due() ? lookUpInBackground().exceptionally(failure -> null) : DONE;
  }

  /** {@link #lookedUp}, completed at {@code deadline} at the latest (null: the look-up's own time). */
  CompletableFuture<Void> lookedUp(Duration deadline) {
    CompletableFuture<Void> lookedUp = lookedUp();
    return deadline == null || lookedUp.isDone() ? lookedUp
        : lookedUp.copy().completeOnTimeout(null, deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The look-up under way, or one started on a directory worker. */
  private CompletableFuture<Void> lookUpInBackground() {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = lookingUp.compareAndExchange(null, mine);
    if (running == null) {
      running = mine;
      try {
        threads.workers.execute(() -> lookUpFor(mine));
      } catch (RejectedExecutionException e) { // closed
        lookingUp.set(null);
        mine.completeExceptionally(new RpcException(RpcStatus.CANCELLED, "directory client closed"));
      }
    }
    return running;
  }

  private boolean due() {
    return clock.getAsLong() - foundAt > recheck.ttlNanos() || found.isEmpty();
  }

  /** The live instances known of a program version, dropped ones left out unless all are. */
  List<InetSocketAddress> known(int program, int version) {
    long now = clock.getAsLong();
    List<InetSocketAddress> all = addresses(program, version);
    List<InetSocketAddress> live = new ArrayList<>(all.size());
    for (InetSocketAddress a : all) {
      Long until = dropped.get(a);
      if (until == null || until - now < 0) {
        live.add(a);
      }
    }
    return live.isEmpty() ? all : live;
  }

  /** Leaves an instance out for a while and looks up again on the next call. */
  void drop(InetSocketAddress address) {
    long now = clock.getAsLong();
    recheck.lost(live(found, now)); // before it is dropped: it is counted among them
    dropped.put(address, now + config.dropFor().toNanos());
    foundAt = now - config.cacheTtl().toNanos() - 1; // due now (MIN_VALUE would overflow the age)
    // Its calls in flight end as they would (a reply, a failover); the next call gets a new
    // client, so a new connection. Before, closing it here failed them all CANCELLED.
    InstanceClient client = clients.remove(address);
    if (client != null) {
      client.retire();
    }
  }

  /**
   * The client of one instance, made on first use, with a call counted on it: the caller
   * {@link InstanceClient#exit exits} when that call ends.
   */
  InstanceClient enter(InetSocketAddress address) {
    while (true) {
      if (closed) {
        throw new RpcException(RpcStatus.CANCELLED, "directory client closed");
      }
      InstanceClient client = clients.computeIfAbsent(address, a -> {
        RpcClientBuilder b = RpcClient.builder();
        config.clientOptions().accept(b);
        return new InstanceClient(b.address(a).transport(config.transport()).build());
      });
      if (client.enter()) {
        return client;
      }
      clients.remove(address, client); // retired and closed since it was found: make another
    }
  }

  /**
   * Looks up, unless a look-up is under way: then a caller with nothing to call waits for that
   * one and shares its outcome, failure included, and any other goes on with what is known.
   * Before, callers with nothing known looked up in turn, each after the last had failed, so with
   * a directory that did not answer the n-th caller waited n look-up timeouts.
   */
  private void refresh() {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = lookingUp.compareAndExchange(null, mine);
    if (running == null) {
      lookUpFor(mine);
      running = mine;
    }
    if (running == mine || found.isEmpty()) {
      awaitLookUp(running); // a look-up fails only when nothing is known
    }
  }

  /** Looks up for {@code mine}, the look-up under way, and completes it with the outcome. */
  private void lookUpFor(CompletableFuture<Void> mine) {
    try {
      lookUp();
      mine.complete(null);
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
    } finally {
      lookingUp.set(null);
    }
  }

  private static void awaitLookUp(CompletableFuture<Void> running) {
    try {
      running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RpcException failed) {
        throw failed;
      }
      throw e;
    }
  }

  private void lookUp() {
    List<ServiceInstance> list;
    try {
      list = config.name() != null
          ? config.directory().lookup(config.name())
          : config.directory().lookup(config.program(), config.version());
    } catch (RpcException e) {
      if (found.isEmpty()) {
        // The call never left: whatever the directory's failure (a timeout, a store that cannot
        // tell), the caller's is UNAVAILABLE, never a status that says the call may have run.
        throw new RpcException(RpcStatus.UNAVAILABLE, "no instance of " + wanted() + " known: "
            + config.directory() + " did not answer a look-up (" + e.status() + ": " + e.getMessage() + ")", e);
      }
      // Keep the instances known, and try the directory again in a second rather than at once.
      foundAt = clock.getAsLong() - recheck.ttlNanos() + STALE_RETRY_NANOS;
      if (!stale) {
        stale = true;
        LOG.warn("directory {} did not answer a look-up ({}); calling the {} instances known before",
            config.directory(), e.getMessage(), found.size());
      }
      return;
    }
    if (stale) {
      stale = false;
      LOG.info("directory {} answers look-ups again", config.directory());
    }
    found = usable(list);
    otherVersions = config.name() == null && found.isEmpty() ? otherVersions() : null;
    foundAt = clock.getAsLong();
    Set<InetSocketAddress> current = new HashSet<>();
    for (ServiceInstance i : found) {
      current.add(config.directory().socketAddress(i));
    }
    clients.keySet().removeIf(a -> {
      if (current.contains(a)) {
        return false;
      }
      InstanceClient gone = clients.get(a);
      if (gone != null) {
        gone.retire();
      }
      return true;
    });
    dropped.keySet().retainAll(current);
    recheck.lookedUp(live(found, foundAt));
  }

  /** How many of {@code instances} are not dropped at {@code now}. */
  private int live(List<ServiceInstance> instances, long now) {
    int live = 0;
    for (ServiceInstance i : instances) {
      Long until = dropped.get(config.directory().socketAddress(i));
      if (until == null || until - now < 0) {
        live++;
      }
    }
    return live;
  }

  /**
   * The first {@link DirectoryClientConfig#maxInstances} entries of each program version that
   * this client can call: over its transport, at an IP address and a port other than 0 (where
   * nothing listens), not a group or broadcast address ({@link ServerAddresses#callable}).
   * Before, the first that many entries were kept whatever they were, so a name's entries of the other transport (every server registers tcp and udp), or a directory's
   * entries whose address does not parse, took the places of usable ones: with 64 such entries
   * first, none was left. And the limit was one for all of a name's versions, so that a name's
   * first versions' entries (a look-up lists them in order) left a later version none.
   */
  private List<ServiceInstance> usable(List<ServiceInstance> list) {
    List<ServiceInstance> usable = new ArrayList<>();
    Map<ProgramVersion, Integer> kept = new HashMap<>();
    for (ServiceInstance i : list) {
      ProgramVersion version = new ProgramVersion(i.program(), i.version());
      if (i.transport() != config.transport()
          || kept.getOrDefault(version, 0) == config.maxInstances()) {
        continue;
      }
      try {
        if (ServerAddresses.callable(config.directory().socketAddress(i))) { // not port 0, a group or the broadcast
          usable.add(i);
          kept.merge(version, 1, Integer::sum);
        }
      } catch (IllegalArgumentException e) {
        // not an IP address: never a candidate
      }
    }
    return List.copyOf(usable);
  }

  /**
   * The versions other than the one asked for that the directory has of the program over this
   * client's transport, for the failure's words only: null when there are none or the directory
   * cannot tell (a directory that answered the look-up but not this still leaves the call
   * UNAVAILABLE, with fewer words).
   */
  private String otherVersions() {
    try {
      return RegisteredVersions.described(config.directory().versions(config.program(), config.transport())
          .stream().filter(v -> v != config.version()).toList());
    } catch (RpcException e) {
      return null;
    }
  }

  /** IPv4 entries when there are any (a wildcard server is registered under both families). */
  private List<InetSocketAddress> addresses(int program, int version) {
    Set<InetSocketAddress> v4 = new LinkedHashSet<>();
    Set<InetSocketAddress> v6 = new LinkedHashSet<>();
    for (ServiceInstance i : found) {
      if (i.program() != program || i.version() != version || i.transport() != config.transport()) {
        continue;
      }
      (i.netid().endsWith("6") ? v6 : v4).add(config.directory().socketAddress(i)); // usable(): parses
    }
    return List.copyOf(v4.isEmpty() ? v6 : v4);
  }

  synchronized void close() {
    if (!closed) {
      DirectoryThreads.SHARED.release(threads);
    }
    closed = true;
    clients.values().forEach(InstanceClient::close);
    clients.clear();
  }
}
