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
    Arrays.fill(bytes, IPV6_PREFIX_BYTES, bytes.length, (byte) 0);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("16 bytes are an IPv6 address", e);
    }
  }
}
