package org.onyxrpc.internal.directory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.DirectoryThreads;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running server's entries in a directory, kept alive: registered when the server starts,
 * renewed every third of the lease granted, removed when the server closes. A directory that
 * cannot be reached, or that restarted and forgot, is simply registered with again at the next
 * renewal: no operator action is needed after a directory restart, and a server starts even
 * while its directory is down. Renewals run on daemon threads shared by every announcement of
 * the process, which stop when the last is closed; {@code start} waits at most 2 s for the
 * first registration and {@code close} at most 1 s for the withdrawal.
 */
public final class Announcement implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Announcement.class);
  /** Longest wait between renewals, whatever the lease. */
  private static final Duration MAX_RENEW_INTERVAL = Duration.ofMinutes(5);
  /**
   * Shortest wait between renewals that a directory can impose by granting leases shorter than
   * asked: one that grants 1 ms leases would otherwise have the server renew without pause.
   * Only a server that asks for short leases itself renews more often (a third of its lease).
   */
  static final Duration MIN_RENEW_INTERVAL = Duration.ofSeconds(1);
  /** Longest wait in {@link #close} for the entries to be withdrawn. */
  private static final Duration MAX_WITHDRAW_WAIT = Duration.ofSeconds(1);
  /** Longest wait in {@link #start} for the first registration; it goes on in the background. */
  private static final Duration MAX_START_WAIT = Duration.ofSeconds(2);
  /** Wait before trying again after a failure. */
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final Directory directory;
  private final List<ServiceInstance> instances;
  private final Duration lease;
  private final Object lock = new Object();
  private final Object renewing = new Object();
  private final DirectoryThreads threads; // null for Directory.none()
  private final Timer timer;
  private Future<?> next;
  private volatile boolean closed;
  private boolean failing;
  private Duration flooredGrant; // the short lease last logged, so that it is logged once
  // What the directory answers decides these lines: one that grants a different short lease at
  // each renewal, or refuses and grants by turns, wrote one or two of them every second.
  private final RateLimitedLog shortLeases;
  private final RateLimitedLog failures;
  private final RateLimitedLog recoveries;
  /**
   * Done once every entry has been registered (by the first registration or a later try):
   * start() waits for it 2 s at most, a caller as long as it likes ({@link #awaitRegistered}).
   */
  private final CompletableFuture<Void> registered = new CompletableFuture<>();

  /** Runs a renewal after a delay: the directory threads' timer, or a test's clock. */
  interface Timer {
    Future<?> schedule(Runnable renewal, Duration delay);

    /** The clock the announcement's log lines are rate limited on, in nanoseconds. */
    default long nanoTime() {
      return System.nanoTime();
    }
  }

  private Announcement(Directory directory, List<ServiceInstance> instances, Duration lease, Timer timer) {
    this.directory = directory;
    this.instances = List.copyOf(instances);
    this.lease = lease;
    this.threads = directory == Directory.none() ? null : DirectoryThreads.SHARED.acquire();
    this.timer = timer != null ? timer : (renewal, delay) -> threads.timer.schedule(
        () -> threads.workers.execute(renewal), delay.toMillis(), TimeUnit.MILLISECONDS);
    this.shortLeases = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL, this.timer::nanoTime);
    this.failures = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL, this.timer::nanoTime);
    this.recoveries = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL, this.timer::nanoTime);
  }

  /**
   * Registers every program version of a server that listens on {@code bound} (its port the
   * one the server got) over {@code transports}, and keeps them registered until closed.
   * {@code names} gives the service name of a program; programs without one register unnamed.
   * Over {@link Transport#UNIX} the entry is rpcbind's: netid {@code "local"}, the socket's
   * path (or {@code @name}) as its address; {@link Transport#IN_PROCESS} is never registered.
   */
  public static Announcement start(Directory directory, InetSocketAddress bound, Set<Transport> transports,
      UnixSocketAddress unixSocket, List<ProgramVersion> programVersions, Map<Integer, String> names,
      Duration lease) {
    return start(directory, bound, transports, unixSocket, programVersions, names, lease, null);
  }

  /** {@link #start} with renewals timed by {@code timer} (null: the directory threads'). */
  static Announcement start(Directory directory, InetSocketAddress bound, Set<Transport> transports,
      UnixSocketAddress unixSocket, List<ProgramVersion> programVersions, Map<Integer, String> names,
      Duration lease, Timer timer) {
    Announcement a = new Announcement(Objects.requireNonNull(directory, "directory"),
        instances(bound, transports, unixSocket, programVersions, names), lease, timer);
    if (directory == Directory.none()) {
      a.registered.complete(null); // nothing to register
    } else {
      // Registered before start() returns, unless the directory is slow to answer: a server
      // starts even while its directory is down, and registers when it is back.
      await(CompletableFuture.runAsync(a::renew, a.threads.workers), MAX_START_WAIT);
    }
    return a;
  }

  /** The entries this server registers: one per program version, netid and address family. */
  static List<ServiceInstance> instances(InetSocketAddress bound, Set<Transport> transports,
      UnixSocketAddress unixSocket, List<ProgramVersion> programVersions, Map<Integer, String> names) {
    InetAddress host = bound.getAddress();
    List<InetAddress> hosts = new ArrayList<>();
    if (host == null || host.isAnyLocalAddress()) {
      hosts.add(wildcard(false)); // a wildcard socket takes IPv4 and IPv6 alike
      hosts.add(wildcard(true));
    } else {
      hosts.add(UniversalAddress.unmapped(host));
    }
    String owner = Owners.self();
    List<ServiceInstance> list = new ArrayList<>();
    for (ProgramVersion pv : programVersions) {
      String name = names.getOrDefault(pv.program(), "");
      for (Transport t : transports) {
        if (t == Transport.UNIX) {
          list.add(new ServiceInstance(name, pv.program(), pv.version(), t.netid(),
              unixSocket.toString(), owner));
        }
        if (t != Transport.TCP && t != Transport.UDP) {
          continue;
        }
        for (InetAddress h : hosts) {
          list.add(new ServiceInstance(name, pv.program(), pv.version(), UniversalAddress.netid(t, h),
              UniversalAddress.format(new InetSocketAddress(h, bound.getPort())), owner));
        }
      }
    }
    return list;
  }

  /**
   * An entry as a person reads it, "com.example.Calc, program 0x20000101 version 1 over tcp at
   * 127.0.0.1:4711", not as the wire has it (universal address "127.0.0.1.18.103").
   */
  static String describe(ServiceInstance i) {
    String where = i.address();
    if (i.transport() != null) {
      InetSocketAddress address = i.socketAddress();
      String host = address.getAddress().getHostAddress();
      where = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
    return (i.name().isEmpty() ? "" : i.name() + ", ") + "program 0x" + Integer.toHexString(i.program())
        + " version " + Integer.toUnsignedString(i.version()) + " over " + i.netid() + " at " + where;
  }

  /** The entries registered. */
  public List<ServiceInstance> instances() {
    return instances;
  }

  /** The directory the entries are registered with. */
  public Directory directory() {
    return directory;
  }

  /**
   * Whether every entry has been registered once, waiting for it up to {@code timeout}.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitRegistered(Duration timeout) throws InterruptedException {
    try {
      registered.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new AssertionError("never completed exceptionally", e);
    }
  }

  /**
   * Where the entries went, for the server's "serving" line: "registered with directory at
   * 127.0.0.1:1111", or "registering with directory at 127.0.0.1:1111: not registered yet, goes
   * on in the background" when start's wait ran out or the directory refused (a WARN line); null for {@code Directory.none()}, chosen to
   * register nowhere (a DirectoryServer's own server, which lists itself).
   */
  public String whereRegistered() {
    if (directory == Directory.none()) {
      return null;
    }
    if (instances.isEmpty()) {
      return "nothing to register with " + directory;
    }
    if (registered.isDone() && directory == Directory.embedded()) {
      // Not another process's: a server there finds it only through a DirectoryServer here.
      return "registered with this process's embedded directory";
    }
    return registered.isDone() ? "registered with " + directory
        : "registering with " + directory + ": not registered yet, goes on in the background"
            + " (RpcServer.awaitRegistered waits for it)";
  }

  private void renew() {
    synchronized (renewing) {
      renewOnce();
    }
  }

  private void renewOnce() {
    if (closed) {
      return;
    }
    Duration granted = lease;
    boolean ok = true;
    for (ServiceInstance i : instances) {
      if (closed) {
        return; // withdrawn meanwhile: registering again would outlive the server
      }
      try {
        Duration g = directory.register(i, lease);
        granted = g.compareTo(granted) < 0 ? g : granted;
      } catch (RuntimeException e) {
        ok = false;
        if (!failing) {
          failures.warn(LOG, "cannot register {} with {}: {}; retrying", describe(i), directory, e.getMessage());
        }
        break; // the rest would fail the same way, each after a timeout
      }
    }
    if (ok && failing) {
      recoveries.info(LOG, "registered with {} again", directory);
    }
    if (ok) {
      registered.complete(null);
    }
    failing = !ok;
    Duration wait = ok ? renewalInterval(granted) : RETRY;
    synchronized (lock) {
      if (!closed) {
        next = timer.schedule(this::renew, wait);
      }
    }
  }

  /**
   * A third of the lease granted, within bounds: never less than the floor a directory cannot
   * push it under (logged once per short lease), nor less than 10 ms, nor more than 5 minutes.
   */
  private Duration renewalInterval(Duration granted) {
    Duration wait = granted.dividedBy(3);
    Duration floor = min(lease.dividedBy(3), MIN_RENEW_INTERVAL);
    if (wait.compareTo(floor) < 0) {
      wait = floor;
      if (!granted.equals(flooredGrant)) {
        flooredGrant = granted;
        shortLeases.warn(LOG, "{}", shortLease(directory, granted, lease, floor));
      }
    }
    wait = wait.compareTo(MAX_RENEW_INTERVAL) > 0 ? MAX_RENEW_INTERVAL : wait;
    return wait.toMillis() < 10 ? Duration.ofMillis(10) : wait;
  }

  static String shortLease(Directory directory, Duration granted, Duration asked, Duration every) {
    return directory + " grants leases of " + granted.toMillis() + " ms (" + asked.toMillis()
        + " ms asked): renewing every " + every.toMillis() + " ms, not every third of the lease,"
        + " so the entries may lapse between renewals";
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Stops renewing and removes the entries; a directory that cannot be reached is left to expire them. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (next != null) {
        next.cancel(false);
      }
    }
    if (directory == Directory.none()) {
      return;
    }
    CompletableFuture<Void> withdrawn = CompletableFuture.runAsync(() -> {
      synchronized (renewing) { // after a renewal in flight, never before it
        withdraw();
      }
    }, threads.workers);
    // A directory that is down must not hold up the server's shutdown: its leases end anyway.
    await(withdrawn, MAX_WITHDRAW_WAIT);
    DirectoryThreads.SHARED.release(threads); // a withdrawal still under way finishes
  }

  private void withdraw() {
    for (ServiceInstance i : instances) {
      try {
        directory.unregister(i);
      } catch (RuntimeException e) {
        LOG.debug("cannot unregister {} from {}: {}", describe(i), directory, e.getMessage());
        break; // the directory is unreachable: the leases will end by themselves
      }
    }
  }

  private static void await(CompletableFuture<Void> work, Duration timeout) {
    try {
      work.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      LOG.debug("directory work goes on in the background: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static InetAddress wildcard(boolean v6) {
    try {
      return InetAddress.getByAddress(new byte[v6 ? 16 : 4]);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
