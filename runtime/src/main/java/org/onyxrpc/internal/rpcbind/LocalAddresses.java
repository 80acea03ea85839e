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
import java.util.Collections;

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
    try {
      return NetworkInterface.getByInetAddress(plain) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  /**
   * This host's address on the network of {@code caller}: that of the interface whose prefix
   * holds it, as rpcbind's addrmerge picks the address to answer with for an entry on the
   * wildcard address. Null if no interface that is up has it on its network (the caller is
   * beyond a router); loopback and link-local interface addresses are never chosen.
   */
  public static InetAddress onNetworkOf(InetAddress caller) {
    InetAddress plain = unmapped(caller);
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback()) {
          continue;
        }
        for (InterfaceAddress a : nif.getInterfaceAddresses()) {
          InetAddress own = a.getAddress();
          if (!own.isLoopbackAddress() && !own.isLinkLocalAddress()
              && sameNetwork(own, a.getNetworkPrefixLength(), plain)) {
            return InetAddress.getByAddress(own.getAddress()); // without an IPv6 scope
          }
        }
      }
    } catch (SocketException | UnknownHostException e) {
      return null;
    }
    return null;
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
