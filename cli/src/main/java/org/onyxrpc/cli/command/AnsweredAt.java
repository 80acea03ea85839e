package org.onyxrpc.cli.command;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where to call a server that the directory of HOST answered for: HOST itself at the answered
 * port (the name TLS checks, the host the user knows), as long as HOST is an address of the
 * family the server was registered in. A server bound to {@code ::1} alone registers tcp6 and
 * udp6 only, and does not listen at 127.0.0.1: called at HOST 127.0.0.1 with its port, it was
 * "nothing listens at tcp 127.0.0.1:PORT", though the directory had said where it listens. Then
 * the address the directory answered is called, under HOST's name when HOST is a name.
 */
final class AnsweredAt {
  private AnsweredAt() {}

  /**
   * HOST at the port of the first answer in HOST's family ({@code first}, else one of {@code
   * others}, asked for only then), or {@code first} itself when none is.
   *
   * @param host the HOST typed, a name or an address
   * @param first the directory's answer, as the look-up by address gives it
   * @param others every callable answer for the program version over the transport
   */
  static InetSocketAddress choose(String host, InetSocketAddress first,
      Supplier<List<InetSocketAddress>> others) {
    InetSocketAddress typed = new InetSocketAddress(host, first.getPort());
    if (typed.isUnresolved() || sameFamily(typed.getAddress(), first)) {
      return typed;
    }
    for (InetSocketAddress other : others.get()) {
      if (sameFamily(typed.getAddress(), other)) {
        return new InetSocketAddress(host, other.getPort());
      }
    }
    try {
      byte[] ip = first.getAddress().getAddress();
      boolean literal = host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
      return new InetSocketAddress(literal ? InetAddress.getByAddress(ip) : InetAddress.getByAddress(host, ip),
          first.getPort());
    } catch (UnknownHostException e) {
      throw new AssertionError("an address's own bytes are an address", e);
    }
  }

  /** True if a server at {@code answered} listens in the family of {@code host} (a wildcard does). */
  private static boolean sameFamily(InetAddress host, InetSocketAddress answered) {
    InetAddress ip = answered.getAddress();
    return ip == null || ip.isAnyLocalAddress() || (host instanceof Inet6Address) == (ip instanceof Inet6Address);
  }
}
