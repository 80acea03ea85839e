package org.onyxrpc.directory.remote;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DirectoryClient}'s view of the directory: the last look-up and when it was made,
 * the instances dropped for failing and until when, a client per instance in use, and the
 * round-robin position. Every map here is bounded by the client's maximum instances.
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
  /** The look-up under way, if one is. */
  private final AtomicReference<CompletableFuture<Void>> lookingUp = new AtomicReference<>();
  private final Map<InetSocketAddress, RpcClient> clients = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, Long> dropped = new ConcurrentHashMap<>();
  private final AtomicInteger turn = new AtomicInteger();
  private volatile List<ServiceInstance> found = List.of();
  private volatile long foundAt = Long.MIN_VALUE;
  private volatile boolean stale; // the last look-up failed and found is what came before
  private volatile boolean closed;

  InstanceCache(DirectoryClientConfig config) {
    this.config = config;
  }

  /** The instance the next call of {@code procedure} goes to. */
  InetSocketAddress next(Procedure<?, ?> procedure) {
    List<InetSocketAddress> candidates = candidates(procedure.program(), procedure.version());
    if (candidates.isEmpty()) {
      throw new RpcException(RpcStatus.UNAVAILABLE, "no instance of "
          + (config.name() != null ? config.name() + " " : "")
          + ProgramVersion.describe(procedure.program(), procedure.version()) + " over "
          + config.transport() + " in " + config.directory() + " (calling " + procedure.name() + ")");
    }
    return candidates.get(Math.floorMod(turn.getAndIncrement(), candidates.size()));
  }

  /** The live instances of a program version, dropped ones left out unless all are dropped. */
  List<InetSocketAddress> candidates(int program, int version) {
    long now = System.nanoTime();
    if (now - foundAt > config.cacheTtl().toNanos() || found.isEmpty()) {
      refresh();
    }
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
    long now = System.nanoTime();
    dropped.put(address, now + config.dropFor().toNanos());
    foundAt = now - config.cacheTtl().toNanos() - 1; // due now (MIN_VALUE would overflow the age)
    RpcClient client = clients.remove(address);
    if (client != null) {
      client.close();
    }
  }

  /** The client of one instance, made on first use. */
  RpcClient client(InetSocketAddress address) {
    if (closed) {
      throw new RpcException(RpcStatus.CANCELLED, "directory client closed");
    }
    return clients.computeIfAbsent(address, a -> {
      RpcClientBuilder b = RpcClient.builder();
      config.clientOptions().accept(b);
      return b.address(a).transport(config.transport()).build();
    });
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
    if (running != null) {
      if (found.isEmpty()) {
        awaitLookUp(running);
      }
      return;
    }
    try {
      lookUp();
      mine.complete(null);
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
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
        throw e;
      }
      // Keep the instances known, and try the directory again in a second rather than at once.
      foundAt = System.nanoTime() - config.cacheTtl().toNanos() + STALE_RETRY_NANOS;
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
    found = list.size() > config.maxInstances() ? List.copyOf(list.subList(0, config.maxInstances())) : list;
    foundAt = System.nanoTime();
    Set<InetSocketAddress> current = new HashSet<>();
    for (ServiceInstance i : found) {
      try {
        current.add(i.socketAddress());
      } catch (IllegalArgumentException e) {
        // not an IP address: never a candidate
      }
    }
    clients.keySet().removeIf(a -> {
      if (current.contains(a)) {
        return false;
      }
      RpcClient gone = clients.get(a);
      if (gone != null) {
        gone.close();
      }
      return true;
    });
    dropped.keySet().retainAll(current);
  }

  /** IPv4 entries when there are any (a wildcard server is registered under both families). */
  private List<InetSocketAddress> addresses(int program, int version) {
    Set<InetSocketAddress> v4 = new LinkedHashSet<>();
    Set<InetSocketAddress> v6 = new LinkedHashSet<>();
    for (ServiceInstance i : found) {
      if (i.program() != program || i.version() != version || i.transport() != config.transport()) {
        continue;
      }
      try {
        (i.netid().endsWith("6") ? v6 : v4).add(i.socketAddress());
      } catch (IllegalArgumentException e) {
        // not an IP address
      }
    }
    return List.copyOf(v4.isEmpty() ? v6 : v4);
  }

  void close() {
    closed = true;
    clients.values().forEach(RpcClient::close);
    clients.clear();
  }
}
