package org.onyxrpc.directory.remote;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;

/**
 * Registrations and look-ups through portmap version 2 (RFC 1833 §3), for a directory that
 * speaks nothing newer: the old portmap daemon, small embedded ones. A mapping is a program,
 * version, IP protocol and port, on the portmapper's own host; so TCP and UDP entries only.
 */
final class Portmapper {
  private Portmapper() {}

  /**
   * Sets the mapping of {@code instance}. An instance of another netid (tcp6, udp6, a Unix
   * socket) has no mapping in version 2 and is left out; its clients find the tcp and udp ones.
   * A mapping at another port where nothing listens is replaced, as {@link RemoteDirectory}
   * replaces an rpcbind entry; UNSET takes the TCP and UDP mappings at once, so only if the other
   * protocol's is gone too, or absent, or this server's.
   */
  static void set(RpcClient client, ServiceInstance instance, String peer, RemoteDirectory directory) {
    int protocol = protocol(instance.netid());
    if (protocol == 0) {
      return;
    }
    int port = UniversalAddress.parse(instance.address()).getPort();
    Portmap.Mapping mapping =
        new Portmap.Mapping(instance.program(), instance.version(), protocol, port);
    if (client.call(Portmap.SET, mapping)) {
      return;
    }
    // Already set: ours from an earlier renewal, or somebody else's.
    int there = client.call(Portmap.GETPORT, mapping);
    if (there == port || there == 0 && client.call(Portmap.SET, mapping)) { // 0: removed meanwhile
      return;
    }
    String what = "portmapper at " + peer + " has "
        + ProgramVersion.describe(instance.program(), instance.version()) + " over "
        + instance.netid() + " at port " + there + " already";
    EntryProbe.Finding found = probe(directory, instance.netid(), there, instance);
    if (found != EntryProbe.Finding.GONE) {
      throw RemoteDirectory.taken(what, instance, found);
    }
    String otherNetid = protocol == Portmap.IPPROTO_TCP ? "udp" : "tcp";
    int other = client.call(Portmap.GETPORT, new Portmap.Mapping(instance.program(), instance.version(),
        protocol(otherNetid), 0));
    EntryProbe.Finding otherFound = other == 0 || other == port ? EntryProbe.Finding.GONE
        : probe(directory, otherNetid, other, instance);
    if (otherFound != EntryProbe.Finding.GONE) {
      throw RemoteDirectory.taken(what + " (nothing listens there), and over " + otherNetid + " at port "
          + other + ", which portmap's UNSET would remove with it", instance, otherFound);
    }
    if (!client.call(Portmap.UNSET, mapping)) {
      throw RemoteDirectory.notRemovable(what, instance, null);
    }
    if (!client.call(Portmap.SET, mapping)) {
      throw new RpcException(RpcStatus.UNAVAILABLE, what + "; nothing listened there, and after it was"
          + " removed another server registered first");
    }
    RemoteDirectory.replaced(what, "port " + port);
  }

  private static EntryProbe.Finding probe(RemoteDirectory directory, String netid, int port,
      ServiceInstance instance) {
    // Version 2's ports are on the portmapper's own host: probed as a wildcard entry is.
    return directory.probe(netid, "0.0.0.0." + (port >> 8) + "." + (port & 0xff), instance);
  }

  /** Unsets the mappings of the instance's program version: UNSET takes TCP's and UDP's at once. */
  static boolean unset(RpcClient client, ServiceInstance instance) {
    return protocol(instance.netid()) != 0 && client.call(Portmap.UNSET,
        new Portmap.Mapping(instance.program(), instance.version(), 0, 0));
  }

  /**
   * The TCP and UDP ports of a program version, as instances at {@code host}, the portmapper's:
   * from DUMP, as GETPORT answers with another version's port when the one asked for has none.
   */
  static List<ServiceInstance> lookup(RpcClient client, InetAddress host, int program, int version) {
    List<ServiceInstance> found = new ArrayList<>();
    for (Portmap.Mapping m : client.call(Portmap.DUMP, null)) {
      Transport transport = m.protocol() == Portmap.IPPROTO_TCP ? Transport.TCP
          : m.protocol() == Portmap.IPPROTO_UDP ? Transport.UDP : null;
      if (m.program() == program && m.version() == version && transport != null
          && m.port() > 0 && m.port() <= 0xFFFF) {
        found.add(new ServiceInstance("", program, version, UniversalAddress.netid(transport, host),
            UniversalAddress.format(new InetSocketAddress(host, m.port())), ""));
      }
    }
    return found;
  }

  /** The versions of a program DUMP lists over {@code transport}. */
  static List<Integer> versions(RpcClient client, int program, Transport transport) {
    int protocol = transport == Transport.TCP ? Portmap.IPPROTO_TCP : Portmap.IPPROTO_UDP;
    return client.call(Portmap.DUMP, null).stream()
        .filter(m -> m.program() == program && m.protocol() == protocol)
        .map(Portmap.Mapping::version)
        .toList();
  }

  /** The IP protocol of a netid version 2 maps, or 0. */
  private static int protocol(String netid) {
    return switch (netid) {
      case "tcp" -> Portmap.IPPROTO_TCP;
      case "udp" -> Portmap.IPPROTO_UDP;
      default -> 0;
    };
  }
}
