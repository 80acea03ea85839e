package org.onyxrpc.directory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;

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
    InetAddress plain = UniversalAddress.unmapped(address);
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
        && UniversalAddress.unmapped(inet.getAddress()).isLoopbackAddress();
  }
}
