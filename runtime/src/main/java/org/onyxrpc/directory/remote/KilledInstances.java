package org.onyxrpc.directory.remote;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a killed server left in an Onyx directory, withdrawn when it registers again: once for
 * each instance a {@link RemoteDirectory} registers.
 */
final class KilledInstances {
  private static final Logger LOG = LoggerFactory.getLogger(KilledInstances.class);
  /**
   * The most entries beside a new registration probed, all at once: together they cost one
   * probe's timeout, however many answer nothing; a crowd of more hides the rest.
   */
  private static final int MAX_PROBED = 16;
  /** What the probes' deadline adds to a probe's timeout: its threads' start on a busy machine. */
  private static final Duration DEADLINE_SLACK = Duration.ofMillis(500);

  private final RpcClient client;
  private final String peer;
  private final InetAddress host;
  private final Duration probeTimeout;
  /** The instances registered whose killed predecessors were looked for. */
  private final Set<ServiceInstance.Key> swept = ConcurrentHashMap.newKeySet();

  /**
   * Withdraws through {@code client}, proving entries dead at {@code host}.
   *
   * @param client the directory's client
   * @param peer the directory, as messages name it
   * @param host the directory's address: where entries are proved dead
   * @param probeTimeout the longest wait for a sign of life at an entry's address
   */
  KilledInstances(RpcClient client, String peer, InetAddress host, Duration probeTimeout) {
    this.client = client;
    this.peer = peer;
    this.host = host;
    this.probeTimeout = probeTimeout;
  }

  /** {@code instance} was registered: the first time, its killed predecessors are withdrawn. */
  void registered(ServiceInstance instance) {
    if (swept.add(instance.key())) {
      withdrawGone(instance);
    }
  }

  /** {@code instance} is withdrawn: registered again, it is looked at again. */
  void unregistered(ServiceInstance instance) {
    swept.remove(instance.key());
  }

  /**
   * Withdraws the entries of {@code instance}'s name, program version and netid on the
   * directory's host where nothing listens. An Onyx directory keeps several instances of a name,
   * each with its lease: a server killed (SIGKILL, a crash) and started again at another port
   * registers beside its old entries, and until their lease ends a look-up by address (GETADDR,
   * {@code RpcClient.builder().directory(...)}) may answer with the dead port. As with rpcbind's
   * entries, only proof that nobody listens removes one ({@link EntryProbe}), and the directory
   * removes only entries of this process's owner. Never fails the registration.
   */
  private void withdrawGone(ServiceInstance instance) {
    if (instance.name().isEmpty()) {
      return;
    }
    try {
      List<ServiceInstance> candidates = new ArrayList<>();
      for (ServiceInstance other : client.call(Names.LOOKUP, instance.name())) {
        if (other.program() == instance.program() && other.version() == instance.version()
            && other.netid().equals(instance.netid()) && !sameEntry(other, instance) && onDirectoryHost(other)
            && candidates.size() < MAX_PROBED) {
          candidates.add(other);
        }
      }
      List<EntryProbe.Finding> findings = probeAtOnce(candidates, instance);
      for (int i = 0; i < candidates.size(); i++) {
        ServiceInstance other = candidates.get(i);
        if (findings.get(i) == EntryProbe.Finding.GONE && withdraw(other)) {
          RemoteDirectory.replaced(instance.name() + " " + ProgramVersion.describe(instance.program(), instance.version())
              + " over " + instance.netid() + " at " + RateLimitedLog.escaped(other.address()) + " in directory "
              + peer, instance.address());
        }
      }
    } catch (RpcException e) {
      LOG.debug("{}: cannot look for stale entries of {}: {}", peer, instance, e.toString());
    }
  }

  /**
   * The findings at {@code entries}, probed at once, each on its own thread (at most
   * {@link #MAX_PROBED}, ended before this returns), under one deadline: a probe's timeout and
   * {@link #DEADLINE_SLACK}. One after another, each entry nobody answers at (a UDP socket that
   * reads nothing) cost a whole timeout, and planted ones delayed a start by seconds. A probe not
   * done by the deadline found nothing ({@link EntryProbe.Finding#UNKNOWN}).
   */
  private List<EntryProbe.Finding> probeAtOnce(List<ServiceInstance> entries, ServiceInstance instance) {
    if (entries.isEmpty()) {
      return List.of();
    }
    List<Callable<EntryProbe.Finding>> probes = new ArrayList<>(entries.size());
    for (ServiceInstance e : entries) {
      probes.add(() -> EntryProbe.probe(e.netid(), e.address(), host, instance.program(), instance.version(),
          probeTimeout));
    }
    ExecutorService threads = Executors.newFixedThreadPool(entries.size(),
        new DefaultThreadFactory("onyx-directory-probe", true));
    try {
      List<EntryProbe.Finding> findings = new ArrayList<>(entries.size());
      for (Future<EntryProbe.Finding> f : threads.invokeAll(probes,
          probeTimeout.plus(DEADLINE_SLACK).toNanos(), TimeUnit.NANOSECONDS)) {
        findings.add(f.isCancelled() ? EntryProbe.Finding.UNKNOWN : finding(f));
      }
      return findings;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Collections.nCopies(entries.size(), EntryProbe.Finding.UNKNOWN);
    } finally {
      threads.shutdownNow(); // every probe ends at its own timeout: none outlives it by long
    }
  }

  private static EntryProbe.Finding finding(Future<EntryProbe.Finding> done) {
    try {
      return done.get();
    } catch (ExecutionException | InterruptedException e) {
      return EntryProbe.Finding.UNKNOWN; // a probe that failed proves nothing
    }
  }

  /**
   * Unregisters an entry as a look-up gave it: with its address as registered, or, for an entry
   * of a server bound to every address, the wildcard that the look-up gave as the host's address.
   */
  private boolean withdraw(ServiceInstance entry) {
    if (client.call(Names.UNREGISTER, new Names.RegisterArgs(entry, 0))) {
      return true;
    }
    if (entry.transport() == null) {
      return false;
    }
    InetSocketAddress at = UniversalAddress.parse(entry.address());
    InetAddress any;
    try {
      any = InetAddress.getByAddress(new byte[at.getAddress() instanceof Inet6Address ? 16 : 4]);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // never for 4 or 16 bytes
    }
    String wildcard = UniversalAddress.format(new InetSocketAddress(any, at.getPort()));
    return client.call(Names.UNREGISTER, new Names.RegisterArgs(entry.withAddress(wildcard), 0));
  }

  /** Whether a look-up's {@code entry} is {@code instance} itself, whose address may be a wildcard. */
  private static boolean sameEntry(ServiceInstance entry, ServiceInstance instance) {
    return entry.transport() == null ? entry.address().equals(instance.address())
        : RemoteDirectory.samePort(entry.address(), instance.address());
  }

  /** Whether an entry is on the directory's host, where a refused connection is proof of a dead port. */
  private boolean onDirectoryHost(ServiceInstance entry) {
    if (entry.transport() == null) {
      return true; // a Unix-domain socket: registered from the directory's host only
    }
    try {
      InetAddress at = UniversalAddress.parse(entry.address()).getAddress();
      return at.isAnyLocalAddress() || EntryProbe.onHost(at, host); // what EntryProbe probes
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
