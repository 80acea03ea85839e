package org.onyxrpc.directory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.onyxrpc.internal.rpcbind.LocalAddresses;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.transport.Transport;

/**
 * Universal addresses (RFC 1833 §2.2, RFC 5665 §5.2.3): the text form in which rpcbind stores
 * where a service listens. IPv4 is {@code "h1.h2.h3.h4.p1.p2"}, IPv6 is the RFC 5952 text form
 * followed by {@code ".p1.p2"}, the port's high and low bytes in decimal.
 */
public final class UniversalAddress {
  /**
   * Longest address a directory entry holds: a full IPv6 universal address with room, and the
   * socket path that is a Unix-domain entry's address (at most 107 bytes).
   */
  public static final int MAX_LENGTH = Rpcb.MAX_ADDRESS;

  private UniversalAddress() {}

  /**
   * The universal address of a socket address, e.g. {@code "127.0.0.1.18.103"} for port 4711.
   *
   * @param address a resolved address
   * @return the universal address
   */
  public static String format(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    if (ip == null) {
      throw new IllegalArgumentException("unresolved address " + address);
    }
    int port = address.getPort();
    String host = ip instanceof Inet6Address ? ipv6Text((Inet6Address) ip) : ip.getHostAddress();
    return host + "." + (port >> 8) + "." + (port & 0xFF);
  }

  /**
   * The socket address a universal address names. IP literals only, never a name look-up; IPv4
   * numbers in decimal without leading zeros, as {@code inet_pton} reads them (no "010").
   *
   * @param uaddr a universal address
   * @return the socket address, resolved without a look-up
   * @throws IllegalArgumentException if it is not a universal address
   */
  public static InetSocketAddress parse(String uaddr) {
    int last = uaddr.lastIndexOf('.');
    int second = last > 0 ? uaddr.lastIndexOf('.', last - 1) : -1;
    if (second <= 0 || uaddr.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("not a universal address: " + uaddr);
    }
    int high = portByte(uaddr.substring(second + 1, last), uaddr);
    int low = portByte(uaddr.substring(last + 1), uaddr);
    String host = uaddr.substring(0, second);
    try {
      if (!host.contains(":")) {
        return new InetSocketAddress(InetAddress.getByAddress(ipv4(host, uaddr)), (high << 8) | low);
      }
      // A host with a colon is only ever read as an IPv6 literal, never looked up as a name:
      // InetAddress.getByName reads text as a literal only when it starts with a hex digit or
      // ':', and looks up anything else (".:" included).
      if (!host.matches("[0-9a-fA-F:][0-9a-fA-F:.]*")) {
        throw new IllegalArgumentException("not a universal address: " + uaddr);
      }
      int colon = host.lastIndexOf(':');
      if (host.indexOf('.', colon) >= 0) {
        ipv4(host.substring(colon + 1), uaddr); // an IPv4 tail as inet_pton reads it, not as Java's getByName
      }
      return new InetSocketAddress(InetAddress.getByName(host), (high << 8) | low);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not a universal address: " + uaddr, e);
    }
  }

  /**
   * The four bytes of a dotted-decimal IPv4 address, read here: {@code InetAddress.getByName}
   * takes "1.2.3.999" for a host name and asks DNS about it, for any caller who sends one. A
   * number with a leading zero ("010") is refused, as inet_pton (libtirpc's uaddr2taddr, hence
   * rpcbind's UADDR2TADDR) refuses it: inet_aton and inet_addr read it as octal (8), Java as
   * decimal (10), so a directory that took "10.0.0.010" named two hosts to two kinds of client.
   */
  private static byte[] ipv4(String host, String uaddr) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not a universal address: " + uaddr);
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (parts[i].length() > 1 && parts[i].charAt(0) == '0') {
        throw new IllegalArgumentException("not a universal address: " + uaddr);
      }
      bytes[i] = (byte) portByte(parts[i], uaddr); // a decimal 0..255, as a port byte is
    }
    return bytes;
  }

  /**
   * The rpcbind netid of a transport over the family of {@code address}: tcp, udp, tcp6, udp6.
   *
   * @param transport TCP or UDP
   * @param address an address of the family wanted
   * @return the netid
   */
  public static String netid(Transport transport, InetAddress address) {
    return transport.netid() + (address instanceof Inet6Address ? "6" : "");
  }

  /**
   * The transport of a netid (tcp, tcp6, udp, udp6), or null for any other.
   *
   * @param netid an rpcbind netid
   * @return TCP, UDP, or null
   */
  public static Transport transport(String netid) {
    return switch (netid) {
      case "tcp", "tcp6" -> Transport.TCP;
      case "udp", "udp6" -> Transport.UDP;
      default -> null;
    };
  }

  /**
   * Replaces a wildcard host (0.0.0.0 or ::), which a server bound to every interface
   * registers, by an address the caller can reach, as rpcbind merges addresses: this host's
   * address on the caller's network (a host on several networks answers each with its own address
   * there, and a process of this machine that called through one of its addresses with that
   * network's), loopback for a caller on loopback or on this machine with no network of the
   * family, else the first address of this host's interfaces in that family.
   *
   * @param uaddr the registered universal address
   * @param caller the address the look-up came from
   * @return a universal address the caller can reach, or {@code uaddr} if it names a host already
   */
  public static String reachableFrom(String uaddr, InetAddress caller) {
    return reachableFrom(caller).apply(uaddr);
  }

  /**
   * {@link #reachableFrom(String, InetAddress)} for the many addresses of one answer to one
   * caller, on one thread: the host that replaces a wildcard is chosen once for each family
   * rather than for each address. Choosing it looks through this machine's interfaces (a
   * fraction of a millisecond), so a LOOKUP or GETADDRLIST of a thousand entries on the wildcard
   * address cost the directory a few hundred milliseconds for each call from another machine.
   *
   * @param caller the address the look-up came from
   * @return the registered universal address to one the caller can reach; not thread-safe
   */
  public static UnaryOperator<String> reachableFrom(InetAddress caller) {
    InetAddress[] chosen = new InetAddress[2]; // [IPv4, IPv6], once chosen
    boolean[] known = new boolean[2];
    return uaddr -> {
      InetSocketAddress address;
      try {
        address = parse(uaddr);
      } catch (IllegalArgumentException e) {
        return uaddr;
      }
      // The IPv4-mapped wildcard (::ffff:0.0.0.0), which Java reads as 0.0.0.0, is no wildcard
      // to rpcbind's addrmerge (not in6addr_any), and stays: answered as loopback's IPv4 text
      // under a tcp6 or udp6 netid, it was an address libtirpc's uaddr2taddr cannot read.
      if (!address.getAddress().isAnyLocalAddress()
          || uaddr.indexOf(':') >= 0 && !(address.getAddress() instanceof Inet6Address)) {
        return uaddr;
      }
      int family = address.getAddress() instanceof Inet6Address ? 1 : 0;
      if (!known[family]) {
        chosen[family] = hostFor(caller, family == 1);
        known[family] = true;
      }
      InetAddress host = chosen[family];
      return host == null ? uaddr : format(new InetSocketAddress(host, address.getPort()));
    };
  }

  /** Hosts chosen for a wildcard so far (tests: how often the interfaces were looked through). */
  static final LongAdder HOSTS_CHOSEN = new LongAdder();

  /** The host a wildcard of the family stands for, to {@code caller}; null if none is known. */
  private static InetAddress hostFor(InetAddress caller, boolean v6) {
    HOSTS_CHOSEN.increment();
    if (caller == null || caller.isLoopbackAddress()) {
      return loopback(v6);
    }
    InetAddress facing = LocalAddresses.onNetworkOf(caller);
    boolean ofFamily = facing != null && (facing instanceof Inet6Address) == v6;
    if (LocalAddresses.isLocal(caller)) {
      // A process of this machine that came through one of its network addresses (a broadcast it
      // sent, say) is answered with that network's address, as rpcbind's addrmerge does, not with
      // loopback: the CALLIT replies to its broadcast then name a server by the address its
      // portmap replies come from, one server one address.
      return ofFamily ? facing : loopback(v6);
    }
    return ofFamily ? facing : LocalAddresses.firstReachable(v6); // getLocalHost may be loopback
  }

  /**
   * The loopback address of a family: 127.0.0.1, or ::1 if {@code v6}.
   *
   * @param v6 whether the IPv6 loopback is wanted
   * @return the address
   */
  public static InetAddress loopback(boolean v6) {
    try {
      return InetAddress.getByAddress(v6
          ? new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
          : new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static int portByte(String text, String uaddr) {
    if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not a universal address: " + uaddr);
    }
    int value = Integer.parseInt(text);
    if (value > 255) {
      throw new IllegalArgumentException("not a universal address: " + uaddr);
    }
    return value;
  }

  /** RFC 5952 text: lower case, longest run of zero groups shortened to "::", no scope. */
  private static String ipv6Text(Inet6Address ip) {
    byte[] b = ip.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero group is not shortened (RFC 5952 §4.2.2)
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }

  /**
   * The IPv4 address an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) stands for, else
   * {@code address} itself. The IPv4 form is kept for IPv4-mapped callers so that "tcp" entries
   * stay usable.
   *
   * @param address any address
   * @return the IPv4 address, or {@code address}
   */
  public static InetAddress unmapped(InetAddress address) {
    return LocalAddresses.unmapped(address);
  }

}
