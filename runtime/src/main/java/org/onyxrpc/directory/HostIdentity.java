package org.onyxrpc.directory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.onyxrpc.internal.rpcbind.ServerAddresses;

/**
 * Who this host is to a directory shared by many machines, and where other machines reach it.
 * A server bound to the wildcard address (0.0.0.0 or ::) registers that address; stored as is in
 * a shared store, another machine's directory would answer with its own loopback and send the
 * caller to itself. The shared store instead keeps, beside each entry, the address
 * {@link #advertise} gives, and the host's {@link #id} so that two hosts never share an entry.
 *
 * @param id names this host among the directories of one store: by default the first advertised
 *     address; at most 128 bytes
 * @param addresses where other machines reach this host, at most one per family is used (the
 *     first): the operator's choice, or the addresses of the interfaces that are up, loopback
 *     and link-local ones left out
 */
public record HostIdentity(String id, List<InetAddress> addresses) {
  /** Longest id, in bytes of UTF-8. */
  public static final int MAX_ID = 128;

  /**
   * Checks the id is present and within bounds, and copies the addresses.
   *
   * @param id 1..{@value #MAX_ID} bytes of UTF-8
   * @param addresses copied; no wildcard or loopback address
   * @throws IllegalArgumentException if the id is empty or too long, or an address cannot be
   *     reached from other machines
   */
  public HostIdentity {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > MAX_ID) {
      throw new IllegalArgumentException("host id must be 1.." + MAX_ID + " bytes: " + id);
    }
    addresses = List.copyOf(addresses);
    for (InetAddress a : addresses) {
      if (a.isAnyLocalAddress() || a.isLoopbackAddress()) {
        throw new IllegalArgumentException("cannot advertise " + a.getHostAddress()
            + ": other machines cannot reach it");
      }
    }
  }

  /**
   * This host as its interfaces show it; its id is the first address (or the host name if none).
   *
   * @return this host's identity
   */
  public static HostIdentity detect() {
    List<InetAddress> found = interfaceAddresses();
    return new HostIdentity(found.isEmpty() ? hostName() : found.get(0).getHostAddress(), found);
  }

  /**
   * This host, reached at the addresses the operator gives (e.g. a public or NAT address).
   *
   * @param id the host's id, or null for the first address
   * @param addresses at least one, reachable from other machines
   * @return this host's identity
   * @throws IllegalArgumentException if {@code addresses} is empty or holds a loopback or wildcard
   */
  public static HostIdentity advertising(String id, List<InetAddress> addresses) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("advertise at least one address");
    }
    return new HostIdentity(id == null ? addresses.get(0).getHostAddress() : id,
        addresses.stream().map(UniversalAddress::unmapped).toList());
  }

  /**
   * What an operator's options make of this host: the {@code advertise} addresses when given
   * (see {@link #advertising}), else the interfaces' (see {@link #detect}); {@code id} (may be
   * null) names it in either case.
   *
   * @param id the host's id, or null
   * @param advertise the operator's addresses; empty to detect them
   * @return this host's identity
   */
  public static HostIdentity of(String id, List<InetAddress> advertise) {
    if (advertise.isEmpty()) {
      HostIdentity detected = detect();
      return id == null ? detected : new HostIdentity(id, detected.addresses());
    }
    return advertising(id, advertise);
  }

  /**
   * The universal address other machines should use for an entry of this host registered at
   * {@code uaddr}: a wildcard host becomes this host's advertised address of the same family, a
   * specific address stays. Empty when other machines cannot reach it: a loopback or link-local
   * address, a group (multicast) or the broadcast address (no server's), a wildcard in a family this host advertises no address of, or no IP address at all.
   *
   * @param uaddr the universal address a server registered
   * @return the address to store for other machines, or empty
   */
  public String advertise(String uaddr) {
    InetSocketAddress address;
    try {
      address = UniversalAddress.parse(uaddr);
    } catch (IllegalArgumentException e) {
      return "";
    }
    InetAddress host = UniversalAddress.unmapped(address.getAddress());
    if (host.isLoopbackAddress() || host.isLinkLocalAddress() || ServerAddresses.isGroupOrBroadcast(host)) {
      return "";
    }
    if (!host.isAnyLocalAddress()) {
      return uaddr;
    }
    InetAddress advertised = first(host instanceof Inet6Address);
    return advertised == null ? "" : UniversalAddress.format(new InetSocketAddress(advertised, address.getPort()));
  }

  /**
   * "192.0.2.2 [192.0.2.2, fd00:0:0:0:0:0:0:2]": the id and the addresses, without InetAddress's "/".
   *
   * @return the text, for logs
   */
  public String describe() {
    return id + " " + addresses.stream().map(InetAddress::getHostAddress).toList();
  }

  /**
   * The first advertised address of a family, or null.
   *
   * @param v6 true for IPv6, false for IPv4
   * @return the address, or null
   */
  public InetAddress first(boolean v6) {
    for (InetAddress a : addresses) {
      if ((a instanceof Inet6Address) == v6) {
        return a;
      }
    }
    return null;
  }

  private static List<InetAddress> interfaceAddresses() {
    List<InetAddress> v4 = new ArrayList<>();
    List<InetAddress> v6 = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (!a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress()) {
            (a instanceof Inet6Address ? v6 : v4).add(stripScope(a));
          }
        }
      }
    } catch (SocketException e) {
      return List.of();
    }
    List<InetAddress> all = new ArrayList<>(v4);
    all.addAll(v6);
    return all;
  }

  private static InetAddress stripScope(InetAddress a) {
    try {
      return a instanceof Inet6Address ? InetAddress.getByAddress(a.getAddress()) : a;
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static String hostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name.getBytes(StandardCharsets.UTF_8).length <= MAX_ID ? name : "localhost";
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
