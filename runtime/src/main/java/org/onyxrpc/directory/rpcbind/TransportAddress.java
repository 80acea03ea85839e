package org.onyxrpc.directory.rpcbind;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * Transport addresses (taddr) for UADDR2TADDR and TADDR2UADDR: the bytes of a Linux
 * {@code sockaddr_in} (16 bytes) or {@code sockaddr_in6} (28 bytes), which is what libtirpc puts
 * in a netbuf, or of a {@code sockaddr_un} for a Unix socket's path (netid local): the family
 * and the path's bytes without a NUL, as libtirpc's uaddr2taddr makes it and rpcbind answers
 * libtirpc's rpcb_uaddr2taddr. The address family is in the host's byte order (little-endian on
 * the machines Onyx runs on); either order is accepted on input. Port and address are in
 * network order. rpcbind converts by the family of the transport a call came over; the
 * directory reads the address: an IP universal address, or a path (it starts with '/').
 */
final class TransportAddress {
  private static final int AF_LOCAL = 1;
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;
  private static final int SOCKADDR_IN = 16;
  private static final int SOCKADDR_IN6 = 28;

  private TransportAddress() {}

  /** The sockaddr of a universal address or socket path, or an empty array if it is neither. */
  static byte[] fromUniversal(String uaddr) {
    InetSocketAddress address;
    try {
      address = UniversalAddress.parse(uaddr);
    } catch (IllegalArgumentException e) {
      return fromPath(uaddr);
    }
    InetAddress ip = address.getAddress();
    boolean v6 = ip instanceof Inet6Address;
    ByteBuffer b = ByteBuffer.allocate(v6 ? SOCKADDR_IN6 : SOCKADDR_IN);
    b.order(ByteOrder.LITTLE_ENDIAN).putShort((short) (v6 ? AF_INET6 : AF_INET));
    b.order(ByteOrder.BIG_ENDIAN).putShort((short) address.getPort());
    if (v6) {
      b.putInt(0); // sin6_flowinfo
    }
    b.put(ip.getAddress());
    return b.array(); // the rest (sin_zero, sin6_scope_id) stays zero
  }

  /** A sockaddr_un of a path that fits sun_path, or an empty array. */
  private static byte[] fromPath(String path) {
    byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
    if (!path.startsWith("/") || bytes.length > UnixSocketAddress.MAX_PATH_BYTES || path.indexOf('\0') >= 0) {
      return new byte[0];
    }
    ByteBuffer b = ByteBuffer.allocate(2 + bytes.length);
    b.order(ByteOrder.LITTLE_ENDIAN).putShort((short) AF_LOCAL);
    return b.put(bytes).array();
  }

  /** The universal address of a sockaddr, or "" if the bytes are not one. */
  static String toUniversal(byte[] taddr) {
    if (taddr.length < 2) {
      return "";
    }
    int family = taddr[0] == 0 ? taddr[1] & 0xFF : taddr[0] & 0xFF;
    if (family == AF_LOCAL) {
      return toPath(taddr);
    }
    ByteBuffer b = ByteBuffer.wrap(taddr).order(ByteOrder.BIG_ENDIAN);
    byte[] ip;
    int port;
    if (family == AF_INET && taddr.length >= 8) {
      port = b.getShort(2) & 0xFFFF;
      ip = new byte[4];
      b.get(4, ip);
    } else if (family == AF_INET6 && taddr.length >= 24) {
      port = b.getShort(2) & 0xFFFF;
      ip = new byte[16];
      b.get(8, ip);
    } else {
      return "";
    }
    try {
      return UniversalAddress.format(new InetSocketAddress(InetAddress.getByAddress(ip), port));
    } catch (UnknownHostException e) {
      return "";
    }
  }

  /** The path of a sockaddr_un, up to a NUL if it has one; "" if it is not a path. */
  private static String toPath(byte[] taddr) {
    int end = 2;
    while (end < taddr.length && taddr[end] != 0) {
      end++;
    }
    String path = new String(taddr, 2, end - 2, StandardCharsets.UTF_8);
    return path.startsWith("/") && end - 2 <= UnixSocketAddress.MAX_PATH_BYTES ? path : "";
  }
}
