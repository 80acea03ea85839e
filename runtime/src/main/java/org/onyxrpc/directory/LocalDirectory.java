package org.onyxrpc.directory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.onyxrpc.internal.DirectoryThreads;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory in this process over a {@link DirectoryStore}: {@link Directory#embedded()} is one
 * over an {@link InMemoryDirectoryStore}; a {@code DirectoryServer} (package {@code rpcbind})
 * serves one to other processes over rpcbind and the names protocol. Registrations made here are owned by this process's user.
 * Expired entries are never returned, and are swept once a second.
 */
public final class LocalDirectory implements Directory, AutoCloseable {
  static final LocalDirectory EMBEDDED = new LocalDirectory(new InMemoryDirectoryStore());

  private static final Logger LOG = LoggerFactory.getLogger(LocalDirectory.class);

  private final DirectoryTable table;
  private final String owner = Owners.self();
  private final AtomicLong leases = new AtomicLong();
  private final Object sweeping = new Object();
  private DirectoryThreads threads; // while sweeping
  private ScheduledFuture<?> sweep;
  private boolean closed;

  /**
   * A directory over {@code store}. It sweeps expired entries once a second while it holds
   * any, on threads shared with the rest of the process: a directory without entries runs none.
   *
   * @param store where the entries are kept; not null
   */
  public LocalDirectory(DirectoryStore store) {
    this(store, Clock.systemUTC());
  }

  /**
   * A directory over {@code store} whose leases start and end by {@code clock}: the system's
   * in {@link #LocalDirectory(DirectoryStore)}, a fake one in tests of leases, which then need
   * no sleeps. Lease ends are wall-clock times, kept in the store as they are.
   *
   * @param store where the entries are kept; not null
   * @param clock the clock of leases
   */
  public LocalDirectory(DirectoryStore store, Clock clock) {
    this.table = new DirectoryTable(Objects.requireNonNull(store, "store"),
        Objects.requireNonNull(clock, "clock")::millis, this::leased);
  }

  /** A lease was granted: sweeping starts, if it had stopped. */
  private void leased() {
    leases.incrementAndGet();
    synchronized (sweeping) {
      if (sweep == null && !closed) {
        threads = DirectoryThreads.SHARED.acquire();
        DirectoryThreads t = threads;
        sweep = t.timer.scheduleWithFixedDelay(() -> t.workers.execute(this::sweep), 1, 1,
            TimeUnit.SECONDS);
      }
    }
  }

  private void sweep() {
    long before = leases.get();
    try {
      table.expire();
    } catch (RuntimeException e) {
      // A store that is down (ZooKeeper) is swept again next time; a throw would end the sweeps.
      LOG.debug("cannot sweep {}: {}", store(), e.toString());
      return;
    }
    stopSweepingIfEmpty(before);
  }

  /**
   * Stops sweeping if no entry is left and no lease was granted since {@code before} was read
   * from {@link #leases}: a registration racing with this one either is seen in the table or
   * has counted its lease, and then starts sweeping again itself.
   */
  private void stopSweepingIfEmpty(long before) {
    boolean empty;
    try {
      empty = table.isEmpty();
    } catch (RuntimeException e) {
      LOG.debug("cannot list {}: {}", store(), e.toString());
      return; // swept again next time
    }
    if (empty && leases.get() == before) {
      stopSweeping();
    }
  }

  private void stopSweeping() {
    DirectoryThreads t;
    synchronized (sweeping) {
      if (sweep == null) {
        return;
      }
      sweep.cancel(false);
      sweep = null;
      t = threads;
      threads = null;
    }
    DirectoryThreads.SHARED.release(t);
  }

  /** True while it holds the shared threads to sweep its leases. */
  boolean sweeping() {
    synchronized (sweeping) {
      return sweep != null;
    }
  }

  /**
   * The rules and entries behind this directory, for the protocol services that serve it to
   * other processes: they register, set and remove on behalf of their callers' owners, where the
   * methods of {@link Directory} act as this process's user.
   *
   * @return the table
   */
  public DirectoryTable table() {
    return table;
  }

  /**
   * The store behind this directory.
   *
   * @return the store given
   */
  public DirectoryStore store() {
    return table.store();
  }

  @Override
  public Duration register(ServiceInstance instance, Duration lease) {
    ServiceInstance owned = new ServiceInstance(instance.name(), instance.program(),
        instance.version(), instance.netid(), instance.address(), owner);
    Duration granted = table.register(owned, lease);
    if (granted == null) {
      throw new RpcException(RpcStatus.UNAVAILABLE, "directory refused " + instance
          + ": another owner's entry, or the directory is full");
    }
    return granted;
  }

  @Override
  public boolean unregister(ServiceInstance instance) {
    long before = leases.get();
    boolean removed = table.unregister(instance.key(), owner);
    if (removed) {
      // The last entry withdrawn lets the shared threads go now, not at the next sweep: a server
      // closed leaves no directory work behind to start threads after it.
      stopSweepingIfEmpty(before);
    }
    return removed;
  }

  @Override
  public List<ServiceInstance> lookup(String name) {
    return table.named(name).stream()
        .map(i -> i.withAddress(UniversalAddress.reachableFrom(i.address(), null)))
        .toList();
  }

  @Override
  public List<ServiceInstance> lookup(int program, int version) {
    return table.ofVersion(program, version).stream()
        .map(i -> i.withAddress(UniversalAddress.reachableFrom(i.address(), null)))
        .toList();
  }

  @Override
  public List<Integer> versions(int program, Transport transport) {
    return table.live().stream()
        .filter(i -> i.program() == program && i.transport() == transport)
        .map(ServiceInstance::version)
        .toList();
  }

  /**
   * Stops sweeping; the store is its owner's to close. The embedded directory is never closed:
   * it stops sweeping by itself once its last entry is gone.
   */
  @Override
  public void close() {
    if (this != EMBEDDED) {
      synchronized (sweeping) {
        closed = true;
      }
      stopSweeping();
    }
  }

  @Override
  public String toString() {
    return this == EMBEDDED ? "embedded directory" : "local directory over " + store();
  }
}
