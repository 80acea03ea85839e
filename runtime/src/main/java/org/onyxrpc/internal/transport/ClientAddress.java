package org.onyxrpc.internal.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * What per-client limits count a peer by: the part of its address it cannot choose freely. Not
 * the port (any process picks one per connection), and for IPv6 not the whole address either: a
 * host is usually given a whole /64 and can take a new address from it for every connection.
 */
public final class ClientAddress {
  /** Bytes of an IPv6 address that name its network, the /64 a host is given. */
  private static final int IPV6_PREFIX_BYTES = 8;

  private ClientAddress() {}

  /**
   * An IPv4 address as it is (IPv4-mapped IPv6 included), an IPv6 address cut to its /64, or
   * null for a peer without an IP address (a Unix-domain or in-process peer).
   */
  public static InetAddress of(SocketAddress peer) {
    if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null) {
      return null;
    }
    InetAddress address = inet.getAddress();
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] bytes = address.getAddress();
    try {
      if (ipv4Mapped(bytes)) {
        // An Inet6Address can hold ::ffff:a.b.c.d (Inet6Address.getByAddress with a scope, a
        // transport that does not unmap): cut to its /64, that is ::, it would be every IPv4 peer
        // at once, and a peer would count apart from itself as it alternated the two forms.
        return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
      }
      Arrays.fill(bytes, IPV6_PREFIX_BYTES, bytes.length, (byte) 0);
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are an IP address", e);
    }
  }

  /** True for ::ffff:a.b.c.d: ten zero bytes, then two 0xff. */
  private static boolean ipv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
  }
}
