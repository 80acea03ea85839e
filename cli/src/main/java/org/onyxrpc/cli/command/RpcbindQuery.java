package org.onyxrpc.cli.command;

import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.directory.NamesListing;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * What a host's directory knows: rpcbind's DUMP (version 4, else portmap's version 2, as
 * {@code rpcinfo -p} falls back) joined with the Onyx directory's names and leases.
 */
final class RpcbindQuery {
  /**
   * One entry: where a program version listens, with its name and lease when the directory is
   * Onyx's.
   *
   * @param instance the entry, named if the directory's names listing has it
   * @param leaseLeftMillis the time its lease has left, or null for none (or not known)
   * @param nameKnown false for an entry past a names listing that was full: it may have a name
   *     and a lease that the listing had no room for
   */
  record Entry(ServiceInstance instance, Long leaseLeftMillis, boolean nameKnown) {
    Entry(ServiceInstance instance, Long leaseLeftMillis) {
      this(instance, leaseLeftMillis, true);
    }
  }

  /** The order of the names program's LIST (see {@link NamesListing#LIST}). */
  private static final Comparator<ServiceInstance> LISTING_ORDER =
      Comparator.comparingLong((ServiceInstance i) -> Integer.toUnsignedLong(i.program()))
          .thenComparingLong(i -> Integer.toUnsignedLong(i.version()))
          .thenComparing(ServiceInstance::netid)
          .thenComparing(ServiceInstance::address);

  /** What a list shows of an entry whose name is not known, in place of the name and lease. */
  static final String NOT_KNOWN = "?";

  private RpcbindQuery() {}

  /** Every entry of the directory {@code rpc} talks to. */
  static List<Entry> entries(RpcClient rpc) {
    // The entries first: one registered between the two questions is then in both (a name is
    // registered with its entry), not listed without its name.
    List<ServiceInstance> dumped = dump(rpc);
    List<NamesListing.Listed> listed = names(rpc);
    Map<ServiceInstance.Key, NamesListing.Listed> named = listed.stream()
        .collect(Collectors.toMap(l -> l.instance().key(), Function.identity(), (a, b) -> a));
    // LIST carries the first MAX_INSTANCES named entries in LISTING_ORDER: a full one may have
    // left out the names of entries after its last (any local process may register that many
    // under low program numbers), so such an entry it lacks is not known to have none.
    ServiceInstance last = listed.size() < Names.MAX_INSTANCES ? null
        : listed.stream().map(NamesListing.Listed::instance).max(LISTING_ORDER).orElseThrow();
    List<Entry> entries = new ArrayList<>();
    for (ServiceInstance i : dumped) {
      NamesListing.Listed n = named.get(i.key());
      entries.add(n == null ? new Entry(i, null, last == null || LISTING_ORDER.compare(i, last) <= 0)
          : new Entry(n.instance().withAddress(i.address()), n.leaseLeftMillis()));
    }
    return entries;
  }

  /**
   * The line that says why some entries' names are not known, or null if every one is: to be
   * printed after a listing with {@link #NOT_KNOWN} in it.
   */
  static String namesNotKnown(List<Entry> entries) {
    long unknown = entries.stream().filter(e -> !e.nameKnown()).count();
    return unknown == 0 ? null : "the directory lists the names of " + Names.MAX_INSTANCES
        + " entries at most: " + unknown + " entries marked " + NOT_KNOWN
        + " may have a name and a lease it did not list (onyx ping HOST NAME looks a name up)";
  }

  /**
   * True when {@code e} failed because its host's name does not resolve: no directory could be
   * there, whatever the port, so "no directory answers at HOST:111 ... give HOST:PORT" would send
   * the user after the wrong mistake. The client keeps the resolver's exception as the cause of
   * the call's failure (under the one a sync call rethrows), so it is told by its type, not by the
   * words of the message.
   */
  static boolean unknownHost(RpcException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code e}, from asking {@code target} (at {@code asked}: its port, else the rpcbind port) for its
   * entries; when {@code target} answered without rpcbind's program (a server's port, say), or
   * could not be reached (nothing runs there: {@code onyx list localhost} with no rpcbind), told as
   * such, with what to give instead.
   */
  static RpcException explain(RpcException e, String target, String asked) {
    if (e.status() == RpcStatus.UNAVAILABLE && unknownHost(e)) {
      return new RpcException(RpcStatus.UNAVAILABLE, e.getMessage()); // the name is wrong, not the port: its cause is in the text
    }
    // A call that failed carries its cause; an answer (PROG_MISMATCH, say) has none.
    if (e.status() == RpcStatus.UNAVAILABLE && e.getCause() != null) {
      return new RpcException(RpcStatus.UNAVAILABLE, "no directory (or rpcbind) answers at " + asked + ": give"
          + " the HOST:PORT of one that runs (rpcbind's port is 111; onyx directory prints its own) ("
          + e.getMessage() + ")"); // its cause is in the text: the JSON tells it once
    }
    if (e.status() != RpcStatus.PROG_UNAVAIL) {
      return e;
    }
    return new RpcException(RpcStatus.PROG_UNAVAIL, target + " answers, but is not a directory or rpcbind (it has"
        + " no program 100000): give the directory's HOST:PORT (rpcbind's port is 111; onyx directory prints"
        + " its own)");
  }

  /** The entries of the directory {@code rpc} talks to, without their names: rpcbind's DUMP, else portmap's. */
  static List<ServiceInstance> dump(RpcClient rpc) {
    try {
      return rpc.call(Rpcb.dump(Rpcb.VERSION_4), null).stream()
          .map(m -> new ServiceInstance("", m.program(), m.version(), m.netid(), m.address(), m.owner()))
          .toList();
    } catch (RpcException e) {
      if (e.status() != RpcStatus.PROG_MISMATCH && e.status() != RpcStatus.PROC_UNAVAIL) {
        throw e;
      }
    }
    List<ServiceInstance> found = new ArrayList<>();
    for (Portmap.Mapping m : rpc.call(Portmap.DUMP, null)) {
      String netid = m.protocol() == Portmap.IPPROTO_UDP ? "udp" : "tcp";
      // portmap has ports only: on the host asked, or this one when asked over its Unix socket
      java.net.InetAddress host = rpc.address() instanceof java.net.InetSocketAddress a
          ? a.getAddress() : java.net.InetAddress.getLoopbackAddress();
      String address = UniversalAddress.format(new java.net.InetSocketAddress(host, m.port()));
      found.add(new ServiceInstance("", m.program(), m.version(), netid, address, ""));
    }
    return found;
  }

  private static List<NamesListing.Listed> names(RpcClient rpc) {
    try {
      return rpc.call(NamesListing.LIST, null);
    } catch (RpcException e) {
      if (e.status() == RpcStatus.PROG_UNAVAIL || e.status() == RpcStatus.PROC_UNAVAIL
          || e.status() == RpcStatus.PROG_MISMATCH) {
        return List.of(); // a plain rpcbind, or an Onyx directory from before LIST
      }
      throw e;
    }
  }
}
