package org.onyxrpc.directory.remote;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.directory.Mappings;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.directory.UniversalAddresses;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory in another process, reached over TCP: an Onyx {@code DirectoryServer} (package
 * {@code org.onyxrpc.directory.rpcbind}), or any rpcbind. The first call finds out which: an Onyx directory answers the {@link Names} program;
 * a plain rpcbind answers PROG_UNAVAIL, after which registrations go through rpcbind version 4
 * SET (renewing is setting again, so a restarted rpcbind is filled again too) and look-ups by
 * name find nothing. A port that answers PROG_UNAVAIL to rpcbind's NULL too (a server's, not a
 * directory's) fails a look-up by name with PROG_UNAVAIL saying so. rpcbind keeps a killed server's entries (it has no leases); one in the way
 * of a registration is replaced once nothing listens at its address (TCP refuses a connection,
 * UDP answers a NULL call with ICMP port unreachable), as rpcgen's servers replace them
 * unasked. A running server's entry is never taken over: the registration fails, saying so. A directory without version 4 is asked in version 3, or in portmap's
 * version 2 (DUMP and SET), which holds tcp and udp entries only: a server's tcp6, udp6 and
 * local entries are then left out. Without version 4's GETADDRLIST, look-ups read DUMP, not
 * GETADDR, which rpcbind answers for the netid the call came over rather than the one asked. A
 * directory at a loopback address is this machine's: the IP family its GETADDRLIST left out
 * (rpcbind lists only the caller's) is read from DUMP, so a server listening over IPv6 alone is
 * found through rpcbind at 127.0.0.1. Calls carry this process's AUTH_SYS credentials, as rpcbind's
 * clients' do, but neither rpcbind nor an Onyx directory takes them as proof: what is registered
 * over TCP is owned by {@code unknown}, and {@code rpcinfo -d}, which speaks for its user's uid
 * through rpcbind's local socket, removes it only as root. Look-ups read addresses as the directory's host's ({@link AnsweredAddresses}): a
 * wildcard is that host, and the loopback addresses and socket files of a directory on another
 * machine are left out.
 *
 * <pre>{@code
 * RemoteDirectory host = RemoteDirectory.at("db7.example.com");   // port 111
 * Directory directory = RemoteDirectory.builder()
 *     .address("127.0.0.1", 111)
 *     .timeout(Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 */
public final class RemoteDirectory implements Directory, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteDirectory.class);
  /** The longest reply taken from a directory: {@link Portmap#MAX_REPLY_BYTES}. */
  static final int MAX_REPLY_BYTES = Portmap.MAX_REPLY_BYTES;
  /**
   * Longest wait for a sign of life at the address of an entry in the way of a registration: a
   * live server on the directory's host answers at once, and so does the kernel for a dead port.
   */
  private static final Duration MAX_PROBE = Duration.ofSeconds(1);

  private final RpcClient client;
  private final InetSocketAddress address;
  private final String peer;
  private final Duration probeTimeout;
  private volatile boolean plainRpcbind;
  /** The rpcbind version the directory answers to: see {@link #newest}. */
  private volatile int rpcbVersion = Rpcb.VERSION_4;
  private final KilledInstances killed;

  RemoteDirectory(RemoteDirectoryConfig config) {
    this.address = config.address();
    Duration timeout = config.timeout();
    this.peer = address.getHostString() + ":" + address.getPort();
    this.probeTimeout = timeout.compareTo(MAX_PROBE) < 0 ? timeout : MAX_PROBE;
    this.client = RpcClient.builder().address(address).timeout(timeout)
        .connectTimeout(timeout).credentials(Owners.processCredentials())
        .maxRecordBytes(MAX_REPLY_BYTES).build();
    this.killed = new KilledInstances(client, peer, address.getAddress(), probeTimeout);
  }

  /**
   * The directory at {@code host}'s port 111: an Onyx directory, or any rpcbind.
   *
   * @param host the directory's host name or address
   * @return a directory client, which the caller closes
   */
  public static RemoteDirectory at(String host) {
    return at(host, Portmap.PORT);
  }

  /**
   * The directory at {@code host}:{@code port}. An Onyx directory answers every method; a plain
   * rpcbind (Debian's {@code rpcbind}, for instance) takes registrations through SET, without
   * names or leases, and answers look-ups by program but finds no names. It holds a connection:
   * keep one per directory, and close it when done.
   *
   * @param host the directory's host name or address
   * @param port the directory's port
   * @return a directory client, which the caller closes
   */
  public static RemoteDirectory at(String host, int port) {
    return builder().address(host, port).build();
  }

  /**
   * A builder; the address is required.
   *
   * @return a new builder
   */
  public static RemoteDirectoryBuilder builder() {
    return new RemoteDirectoryBuilder();
  }

  @Override
  public Duration register(ServiceInstance instance, Duration lease) {
    if (!plainRpcbind) {
      try {
        long asked = Math.min(Integer.toUnsignedLong(-1), Math.max(0, lease.toMillis()));
        int granted = client.call(Names.REGISTER, new Names.RegisterArgs(instance, (int) asked));
        if (granted == 0) {
          throw new RpcException(RpcStatus.UNAVAILABLE, "directory " + peer + " refused " + instance);
        }
        killed.registered(instance);
        return Duration.ofMillis(Integer.toUnsignedLong(granted));
      } catch (RpcException e) {
        if (e.status() != RpcStatus.PROG_UNAVAIL) {
          throw e;
        }
      }
    }
    newest(v -> {
      if (v == Portmap.VERSION) {
        Portmapper.set(client, instance, peer, this);
      } else {
        set(v, instance);
      }
      return null;
    });
    // Taken for a plain rpcbind only once its SET worked: an Onyx directory shutting down refuses
    // every program PROG_UNAVAIL, rpcbind's too, and a renewal that met its drain had made this
    // client register through SET, and look names up as none, for good after its restart.
    if (!plainRpcbind) {
      LOG.info("{} is a plain rpcbind: registering through SET, without names or leases", peer);
      plainRpcbind = true;
    }
    return lease;
  }

  private void set(int version, ServiceInstance instance) {
    Rpcb.Mapping mapping = Mappings.of(instance);
    if (client.call(Rpcb.set(version), mapping)) {
      return;
    }
    // Already set: ours from an earlier renewal, or somebody else's.
    Rpcb.Mapping entry = registered(version, instance);
    String there = entry == null ? "" : entry.address();
    if (samePort(there, instance.address())
        || there.isEmpty() && client.call(Rpcb.set(version), mapping)) { // removed meanwhile
      return;
    }
    String what = "rpcbind at " + peer + " has " + ProgramVersion.describe(instance.program(), instance.version())
        + " over " + instance.netid() + " at " + RateLimitedLog.escaped(there) + port(there) + " already"; // anyone's SET
    EntryProbe.Finding found = probe(instance.netid(), there, instance);
    if (found != EntryProbe.Finding.GONE) {
      throw taken(what, instance, found);
    }
    // A server that is gone set it (rpcbind has no leases): replace it, as rpcgen's servers do
    // with pmap_unset, but only now that nothing listens there. UNSET names our netid only.
    if (!client.call(Rpcb.unset(version), mapping)) {
      throw notRemovable(what, instance, entry == null ? null : entry.owner());
    }
    if (!client.call(Rpcb.set(version), mapping)) {
      throw new RpcException(RpcStatus.UNAVAILABLE, what + "; nothing listened there, and after it was"
          + " removed another server registered first");
    }
    replaced(what, instance.address());
  }

  /**
   * " (port N)" for a universal address, as {@code rpcinfo -p} shows the entry, else "": an
   * operator reading {@code 0.0.0.0.228.33} had to work out 58401.
   */
  private static String port(String uaddr) {
    try {
      return " (port " + UniversalAddress.parse(uaddr).getPort() + ")";
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** Logs that a stale entry, {@code what}, was replaced: the operator may wonder where it went. */
  static void replaced(String what, String with) {
    LOG.info("{}, where nothing listens (left by a server that exited without unregistering):"
        + " replaced it with {}", what, with);
  }

  /**
   * The entry rpcbind has for the instance's program, version and netid, its address as
   * registered (a wildcard stays one), or null if none. From DUMP: GETADDR and GETVERSADDR ignore the netid they
   * are given and answer for the one the request came over (RFC 1833 §2.2.1: tcp, here), with
   * the address merged with the caller's, so they cannot tell what a tcp6, udp or udp6 entry holds.
   */
  private Rpcb.Mapping registered(int version, ServiceInstance instance) {
    for (Rpcb.Mapping m : dumped(version, instance.program(), instance.version())) {
      if (m.netid().equals(instance.netid())) {
        return m;
      }
    }
    return null;
  }

  /** The DUMP entries of one program version, with their netids and addresses as registered. */
  private List<Rpcb.Mapping> dumped(int version, int program, int programVersion) {
    List<Rpcb.Mapping> entries = new ArrayList<>();
    for (Rpcb.Mapping m : client.call(Rpcb.dump(version), null)) {
      if (m.program() == program && m.version() == programVersion) {
        entries.add(m);
      }
    }
    return entries;
  }

  /** What {@link EntryProbe} finds at {@code uaddr}, an entry of {@code instance}'s program version. */
  EntryProbe.Finding probe(String netid, String uaddr, ServiceInstance instance) {
    return EntryProbe.probe(netid, uaddr, address.getAddress(), instance.program(), instance.version(),
        probeTimeout);
  }

  /**
   * The failure of a registration refused because {@code what} (an entry at another address) is
   * in the way, and {@code found} there is not proof that it is stale: left in place, since
   * taking it over would send a live server's callers to this one.
   */
  static RpcException taken(String what, ServiceInstance instance, EntryProbe.Finding found) {
    return new RpcException(RpcStatus.UNAVAILABLE, what + "; " + found.text + ", so it is left in place"
        + (found == EntryProbe.Finding.LISTENING
            ? " (another server of this program version runs: stop it, or serve another program number)"
            : " (if no server is there, " + removeBy(instance) + ")"));
  }

  /**
   * The failure of a registration whose stale entry in the way the directory would not remove;
   * {@code owner} is the entry's as rpcbind's DUMP names it, or null where unknown (portmap v2).
   */
  static RpcException notRemovable(String what, ServiceInstance instance, String owner) {
    // rpcbind takes a caller over the network as owner "unknown" and lets it remove only entries
    // of that owner; a server of the same user that set its entry through the local socket (as
    // rpcgen's do) is another owner to it, so "another user" misled root running both.
    String whose = owner == null || owner.equals("unknown") ? "another user set it: "
        : "its owner is " + RateLimitedLog.escaped(owner) + ", who set it through rpcbind's local socket,"
            + " and rpcbind lets this process, over the network, remove only entries of owner unknown: ";
    return new RpcException(RpcStatus.UNAVAILABLE, what + "; nothing listens there, but rpcbind did not"
        + " let this process remove it (" + whose + removeBy(instance) + ")");
  }

  /** How an operator removes an entry: {@code rpcinfo} reads decimal numbers only. */
  private static String removeBy(ServiceInstance instance) {
    return "`rpcinfo -d " + Integer.toUnsignedString(instance.program()) + " "
        + Integer.toUnsignedString(instance.version()) + "`, run as its owner or root, removes it";
  }

  @Override
  public boolean unregister(ServiceInstance instance) {
    if (plainRpcbind) {
      return newest(v -> v == Portmap.VERSION ? Portmapper.unset(client, instance)
          : client.call(Rpcb.unset(v), Mappings.of(instance)));
    }
    killed.unregistered(instance);
    return client.call(Names.UNREGISTER, new Names.RegisterArgs(instance, 0));
  }

  @Override
  public List<ServiceInstance> lookup(String name) {
    if (plainRpcbind) {
      return List.of();
    }
    try {
      return reachable(client.call(Names.LOOKUP, name));
    } catch (RpcException e) {
      if (e.status() == RpcStatus.PROG_UNAVAIL) {
        requireRpcbind(e);
        plainRpcbind = true;
        return List.of();
      }
      throw e;
    }
  }

  /**
   * After the directory answered PROG_UNAVAIL for Onyx's names: fails unless rpcbind answers
   * there. Without it a look-up by name at a port that is neither (a server's, a mistyped one)
   * found no instances, and the user looked for the fault in the service rather than the port.
   */
  private void requireRpcbind(RpcException namesUnavailable) {
    try {
      newest(v -> client.call(Rpcb.nullProcedure(v), null));
    } catch (RpcException e) {
      if (e.status() != RpcStatus.PROG_UNAVAIL) {
        throw e;
      }
      throw new RpcException(RpcStatus.PROG_UNAVAIL, peer + " is not a directory: it serves neither Onyx's"
          + " directory (program 0x" + Integer.toHexString(Names.PROGRAM) + ") nor rpcbind (program "
          + Rpcb.PROGRAM + "); check the port (rpcbind's is 111)", namesUnavailable);
    }
  }

  /**
   * Whether the directory keeps service names: false once it has answered as a plain rpcbind,
   * whose look-ups by name find nothing; true until then.
   *
   * @return false once the directory answered as a plain rpcbind
   */
  public boolean keepsNames() {
    return !plainRpcbind;
  }

  @Override
  public List<ServiceInstance> lookup(int program, int version) {
    return newest(v -> switch (v) {
      case Rpcb.VERSION_4 -> addressList(program, version);
      case Rpcb.VERSION_3 -> fromDump(v, program, version);
      default -> Portmapper.lookup(client, host(), program, version);
    });
  }

  /** From DUMP (rpcbind's or portmap's), which lists every version where GETADDR names one. */
  @Override
  public List<Integer> versions(int program, Transport transport) {
    return newest(v -> switch (v) {
      case Rpcb.VERSION_4, Rpcb.VERSION_3 -> client.call(Rpcb.dump(v), null).stream()
          .filter(m -> m.program() == program && UniversalAddress.transport(m.netid()) == transport)
          .map(Rpcb.Mapping::version)
          .toList();
      default -> Portmapper.versions(client, program, transport);
    });
  }

  private List<ServiceInstance> addressList(int program, int version) {
    Rpcb.Mapping query = new Rpcb.Mapping(program, version, "", "", "");
    List<ServiceInstance> found = new ArrayList<>();
    try {
      for (Rpcb.Entry e : client.call(Rpcb.GETADDRLIST, query)) {
        found.add(new ServiceInstance("", program, version, e.netid(), e.address(), ""));
      }
    } catch (RpcException e) {
      if (e.status() != RpcStatus.PROC_UNAVAIL) {
        throw e;
      }
      return fromDump(Rpcb.VERSION_4, program, version); // a version 4 without GETADDRLIST
    }
    return reachable(withOtherFamily(found, program, version));
  }

  /**
   * {@code listed} with, for a directory on this machine's loopback, the DUMP entries of the IP
   * family it lacks. rpcbind's GETADDRLIST lists only the caller's family (rpcbproc_getaddrlist
   * skips the others), so asked at 127.0.0.1 it hides a server of this machine that listens over
   * IPv6 alone (svc_tp_create on tcp6, an Onyx server bound to ::1), which C clients find by
   * asking rpcbind over IPv6. DUMP lists every family, and its loopback and wildcard addresses are
   * this machine's. Read only when a family is missing, so an Onyx directory, which lists both to
   * a caller on this machine, is not asked twice for a server of both families.
   */
  private List<ServiceInstance> withOtherFamily(List<ServiceInstance> listed, int program, int version) {
    InetAddress host = address.getAddress();
    if (host == null || !host.isLoopbackAddress()) {
      return listed;
    }
    boolean hasIpv4 = listed.stream().anyMatch(i -> i.transport() != null && !isIpv6(i.netid()));
    boolean hasIpv6 = listed.stream().anyMatch(i -> i.transport() != null && isIpv6(i.netid()));
    if (hasIpv4 && hasIpv6) {
      return listed;
    }
    List<Rpcb.Mapping> dumped;
    try {
      dumped = dumped(Rpcb.VERSION_4, program, version);
    } catch (RpcException e) {
      return listed; // a look-up GETADDRLIST answered stands without its complement
    }
    List<ServiceInstance> all = new ArrayList<>(listed);
    for (Rpcb.Mapping m : dumped) {
      boolean missing = isIpv6(m.netid()) ? !hasIpv6 : !hasIpv4;
      if (missing && UniversalAddress.transport(m.netid()) != null && UniversalAddresses.parses(m.address())) {
        all.add(new ServiceInstance("", program, version, m.netid(), m.address(), ""));
      }
    }
    return all;
  }

  /** True for tcp6 and udp6. */
  private static boolean isIpv6(String netid) {
    return netid.endsWith("6");
  }

  /**
   * The instances of a program version over IP, read from DUMP where there is no GETADDRLIST.
   * Not from GETADDR: rpcbind answers it for the netid of the transport the call came over, not
   * the one asked for (RFC 1833 §2.2.1), so a udp look-up over TCP would find the TCP port; and
   * with another version's address when the one asked for has none.
   */
  private List<ServiceInstance> fromDump(int rpcbVersion, int program, int version) {
    List<ServiceInstance> found = new ArrayList<>();
    for (Rpcb.Mapping m : dumped(rpcbVersion, program, version)) {
      if (UniversalAddress.transport(m.netid()) != null && UniversalAddresses.parses(m.address())) {
        found.add(new ServiceInstance("", program, version, m.netid(), m.address(), ""));
      }
    }
    return reachable(found);
  }

  /**
   * The entries of an answer as this process reaches them (see {@link AnsweredAddresses}): a
   * wildcard, as DUMP lists a server bound to every address (and as a lying directory may answer
   * any look-up), is the directory's host; the loopback addresses and socket paths of a directory
   * on another machine are left out, since here they name this machine's.
   */
  private List<ServiceInstance> reachable(List<ServiceInstance> answered) {
    InetAddress host = host();
    List<ServiceInstance> reachable = new ArrayList<>(answered.size());
    for (ServiceInstance i : answered) {
      ServiceInstance usable = AnsweredAddresses.reachable(i, host);
      if (usable != null) {
        reachable.add(usable);
      }
    }
    return reachable;
  }

  /**
   * Makes {@code call} with the newest version of rpcbind's protocol the directory has: 4 until a
   * PROG_MISMATCH says it has less (3, or portmap's 2), then that one from then on. Only a version
   * inside the range the directory sent is tried: a range of none (low above high, compared
   * unsigned, as are both) or one above the version refused is the directory's failure as sent.
   */
  private <T> T newest(IntFunction<T> call) {
    while (true) {
      int v = rpcbVersion;
      try {
        return call.apply(v);
      } catch (RpcException e) {
        int lower = Integer.compareUnsigned(e.high(), v - 1) < 0 ? e.high() : v - 1;
        if (e.status() != RpcStatus.PROG_MISMATCH || lower < Portmap.VERSION
            || Integer.compareUnsigned(e.low(), lower) > 0) {
          throw e;
        }
        LOG.info("{} has rpcbind versions {} to {}: using version {}", peer, e.low(), e.high(), lower);
        rpcbVersion = lower;
      }
    }
  }

  /**
   * {@inheritDoc} A link-local (or site-local) IPv6 entry answered by a directory reached at a
   * scoped link-local (site-local) address, such as {@code fe80::1%eth1}, takes that scope: it is
   * on the directory's link ({@link AnsweredAddresses#onLinkOf}).
   */
  @Override
  public InetSocketAddress socketAddress(ServiceInstance entry) {
    InetSocketAddress answered = entry.socketAddress();
    InetAddress host = address.getAddress();
    return host == null ? answered : AnsweredAddresses.onLinkOf(answered, host);
  }

  /** The directory's host: where portmap version 2's ports are. */
  private InetAddress host() {
    if (address.getAddress() == null) {
      throw new RpcException(RpcStatus.UNAVAILABLE, "cannot resolve " + peer);
    }
    return address.getAddress();
  }

  /** Closes the connection to the directory. */
  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "directory at " + peer;
  }

  static boolean samePort(String a, String b) {
    try {
      return UniversalAddress.parse(a).getPort() == UniversalAddress.parse(b).getPort();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
