package org.onyxrpc.directory.remote;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  /** The most entries beside a new registration probed: each may cost the probe's timeout. */
  private static final int MAX_PROBED = 8;

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
      int probed = 0;
      for (ServiceInstance other : client.call(Names.LOOKUP, instance.name())) {
        if (other.program() != instance.program() || other.version() != instance.version()
            || !other.netid().equals(instance.netid()) || sameEntry(other, instance) || !onDirectoryHost(other)) {
          continue;
        }
        if (probed++ == MAX_PROBED) {
          return;
        }
        if (EntryProbe.probe(other.netid(), other.address(), host, instance.program(), instance.version(),
            probeTimeout) == EntryProbe.Finding.GONE && withdraw(other)) {
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
