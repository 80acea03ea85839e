package org.onyxrpc.internal.rpcbind;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;

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
