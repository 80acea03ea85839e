package org.onyxrpc.internal.rpcbind;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether a caller is on this machine: the test behind rpcbind's rule that only local processes
 * may SET and UNSET. Loopback addresses are local; so is any address of a local interface (a
 * process may reach the directory through the machine's own public address).
 */
public final class LocalAddresses {
  private LocalAddresses() {}

  /** True if {@code address} is an IP socket address of this machine. */
  public static boolean isLocal(SocketAddress address) {
    return address instanceof InetSocketAddress inet && inet.getAddress() != null
        && isLocal(inet.getAddress());
  }

  /** True if {@code address} is loopback or belongs to a local interface. */
  public static boolean isLocal(InetAddress address) {
    InetAddress plain = unmapped(address);
    if (plain.isLoopbackAddress() || plain.isAnyLocalAddress()) {
      return true;
    }
    return interfaces().all().contains(plain);
  }

  /**
   * This host's address on the network of {@code caller}: that of the interface whose prefix
   * holds it, as rpcbind's addrmerge picks the address to answer with for an entry on the
   * wildcard address. Null if no interface that is up has it on its network (the caller is
   * beyond a router); loopback addresses are never chosen, and a link-local one only for a
   * link-local caller, on the interface of its scope (without the scope, as a universal address
   * has none).
   */
  public static InetAddress onNetworkOf(InetAddress caller) {
    InetAddress plain = unmapped(caller);
    if (plain instanceof Inet6Address six && six.isLinkLocalAddress() && six.getScopeId() != 0) {
      // Every interface's link-local prefix is fe80::/64: the network is the link the caller's
      // scope names, and this host's address there its link-local one, as rpcbind answers it.
      // No global address would do: answered fd00::2 of another interface, a caller that asked
      // at fe80::...%eth1 was sent where it has no route ("Network is unreachable").
      return interfaces().linkLocal().get(six.getScopeId());
    }
    for (InterfaceAddress a : interfaces().up()) {
      InetAddress own = a.getAddress();
      if (!own.isLoopbackAddress() && !own.isLinkLocalAddress()
          && sameNetwork(own, a.getNetworkPrefixLength(), plain)) {
        try {
          return InetAddress.getByAddress(own.getAddress()); // without an IPv6 scope
        } catch (UnknownHostException e) {
          throw new AssertionError(e);
        }
      }
    }
    return null;
  }

  /**
   * The first address of this machine's interfaces (up, not loopback) in a family that other
   * machines may reach: not loopback, link-local or wildcard, without an IPv6 scope. What {@code
   * HostIdentity.detect().first(v6)} finds, from the last reading of the interfaces.
   *
   * @param v6 whether an IPv6 address is wanted, else IPv4
   * @return the address, or null if this machine has none of the family
   */
  public static InetAddress firstReachable(boolean v6) {
    for (InetAddress a : interfaces().reachable()) {
      if ((a instanceof Inet6Address) == v6) {
        return a;
      }
    }
    return null;
  }

  /**
   * This machine's interface addresses as last read: every address of every interface (what
   * {@code NetworkInterface.getByInetAddress} looks through), those of the interfaces up and not
   * loopback with their prefixes, and of these the addresses other machines may reach (not
   * loopback, link-local or wildcard; without an IPv6 scope), in the interfaces' order; and the
   * first IPv6 link-local address (without its scope) of each such interface, by its index.
   */
  private record Interfaces(Set<InetAddress> all, List<InterfaceAddress> up, List<InetAddress> reachable,
      Map<Integer, InetAddress> linkLocal, long readAtNanos) {}

  /**
   * How long a reading of the interfaces is used: an address added or removed counts within a
   * tenth of a second (a caller on a network just added is answered with this host's address
   * there, not another's; a second was long enough for RpcbindInteropTest's second network to be
   * answered with the first's address), and a flood of calls reads them ten times a second.
   */
  private static final long REREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static volatile Interfaces interfaces;
  /** Readings of the interfaces so far (tests). */
  static final LongAdder READINGS = new LongAdder();

  /**
   * The interfaces, read again when the last reading is a tenth of a second old. Reading them costs a
   * fraction of a millisecond here (more with many interfaces, as on a host of containers), and
   * was done for every call from another machine, up to twice per entry answered: a small UDP
   * call cost the directory that much.
   */
  private static Interfaces interfaces() {
    Interfaces known = interfaces;
    long now = System.nanoTime();
    if (known != null && now - known.readAtNanos() < REREAD_NANOS) {
      return known;
    }
    READINGS.increment();
    Set<InetAddress> all = new HashSet<>();
    List<InterfaceAddress> up = new ArrayList<>();
    List<InetAddress> reachable = new ArrayList<>();
    Map<Integer, InetAddress> linkLocal = new HashMap<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          all.add(a);
        }
        if (nif.isUp() && !nif.isLoopback()) {
          up.addAll(nif.getInterfaceAddresses());
          for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (!a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress()) {
              reachable.add(a instanceof Inet6Address ? InetAddress.getByAddress(a.getAddress()) : a);
            } else if (a instanceof Inet6Address && a.isLinkLocalAddress()) {
              linkLocal.putIfAbsent(nif.getIndex(), InetAddress.getByAddress(a.getAddress()));
            }
          }
        }
      }
    } catch (SocketException | UnknownHostException e) {
      // read again next time
      return known != null ? known
          : new Interfaces(Set.of(), List.of(), List.of(), Map.of(), now - REREAD_NANOS);
    }
    Interfaces read = new Interfaces(all, up, reachable, Map.copyOf(linkLocal), now);
    interfaces = read;
    return read;
  }

  /** True if {@code a} and {@code b} are of one family and agree in their first {@code prefix} bits. */
  static boolean sameNetwork(InetAddress a, int prefix, InetAddress b) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length || prefix <= 0 || prefix > x.length * 8) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >> (bit % 8);
      if ((x[bit / 8] & mask) != (y[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** True if {@code address} is loopback: a source that cannot be spoofed from another machine. */
  public static boolean isLoopback(SocketAddress address) {
    return address instanceof InetSocketAddress inet && inet.getAddress() != null
        && unmapped(inet.getAddress()).isLoopbackAddress();
  }

  /**
   * The IPv4 address an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) stands for, else
   * {@code address} itself.
   */
  public static InetAddress unmapped(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] b = address.getAddress();
      boolean mapped = b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = b[i] == 0;
      }
      if (mapped) {
        try {
          return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
          throw new AssertionError(e);
        }
      }
    }
    return address;
  }
}
