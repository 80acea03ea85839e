package org.onyxrpc.server;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a server's UDP port so that every reply leaves from the address its call was sent to.
 *
 * <p>A socket bound to a wildcard address (0.0.0.0, ::) replies from whatever source address the
 * system's routing picks, and a client that checks where a reply comes from (every connected UDP
 * socket, Onyx's client among them) drops a reply from an address it did not call, then times
 * out. libtirpc answers from the right address with IP_PKTINFO; Netty cannot choose a
 * datagram's source address. So, as ntpd and BIND do, a wildcard port gets one more socket per
 * address of the machine's interfaces that are up, on the same port: the system delivers a
 * datagram to the socket bound to its destination, and the reply goes back through that socket.
 * The wildcard socket still receives what none of them does (broadcasts, an address added after
 * the server started, an address of 127.0.0.0/8 other than the interface's) and answers it as
 * before, from the address the routing picks.
 *
 * <p>The port stays the server's alone. The wildcard is bound first without SO_REUSEADDR, so it
 * fails if any socket holds the port on any address; SO_REUSEADDR, without which Linux refuses an
 * address beside a wildcard on one port, is set only while the address sockets are bound, and
 * cleared again, so that no other socket can bind the port afterwards. An address that cannot be
 * bound (it went away meanwhile, say) is logged and left to the wildcard socket.
 */
final class UdpSockets {
  private static final Logger LOG = LoggerFactory.getLogger(UdpSockets.class);

  /** How one kind of socket (a Netty channel, a JDK channel) is bound and set. */
  interface Binder<S> {
    /** Binds a new socket to {@code address}, with SO_REUSEADDR set or not. */
    S bind(InetSocketAddress address, boolean reuseAddress) throws IOException;

    InetSocketAddress localAddress(S socket);

    void reuseAddress(S socket, boolean on) throws IOException;

    /**
     * True if a wildcard socket of this kind bound to {@code 0.0.0.0} takes IPv4 alone, so that
     * IPv6 addresses need sockets of their own beside it.
     */
    boolean ipv4WildcardIsIpv4Only();
  }

  private UdpSockets() {}

  /**
   * Binds {@code address}, and on a wildcard address also each of {@code interfaceAddresses} that
   * the wildcard socket receives for, on the port it got. Returns the sockets, the wildcard's
   * first.
   *
   * @throws IOException if {@code address} itself cannot be bound
   */
  static <S> List<S> bind(Binder<S> binder, InetSocketAddress address,
      Supplier<List<InetAddress>> interfaceAddresses) throws IOException {
    S first = binder.bind(address, false);
    if (!address.getAddress().isAnyLocalAddress()) {
      return List.of(first);
    }
    InetSocketAddress wildcard = binder.localAddress(first);
    int port = wildcard.getPort();
    List<S> bound = new ArrayList<>();
    bound.add(first);
    try {
      binder.reuseAddress(first, true);
      for (InetAddress local : besideWildcard(wildcard.getAddress(), interfaceAddresses.get(),
          binder.ipv4WildcardIsIpv4Only())) {
        InetSocketAddress at = new InetSocketAddress(local, port);
        try {
          bound.add(binder.bind(at, true));
        } catch (IOException e) {
          if (local instanceof Inet6Address && local.isLinkLocalAddress()) {
            // Transient at start (still in duplicate address detection, when nothing can reach
            // it), and harmless: the wildcard socket answers a link-local caller from the
            // link's own link-local address, which the routing picks for it (same scope).
            LOG.debug("{}; the socket on {} answers calls to that address", e.getMessage(),
                ListenPlaces.hostPort(wildcard));
          } else {
            LOG.warn("{}; the socket on {} answers calls to that address, from the address the "
                + "system's routing picks", e.getMessage(), ListenPlaces.hostPort(wildcard));
          }
        }
      }
    } finally {
      for (S socket : bound) {
        try {
          binder.reuseAddress(socket, false);
        } catch (IOException e) {
          LOG.warn("cannot clear SO_REUSEADDR on UDP {}: {}",
              ListenPlaces.hostPort(binder.localAddress(socket)), e.toString());
        }
      }
    }
    LOG.debug("UDP port {}: one socket on each of {}", port,
        bound.stream().map(s -> ListenPlaces.hostPort(binder.localAddress(s))).toList());
    return bound;
  }

  /**
   * The addresses to bind beside {@code wildcard}, each once: all of them beside an IPv6 socket,
   * which takes IPv4 too (Netty and the JDK bind 0.0.0.0 as {@code ::} where IPv6 is available),
   * and beside an IPv4 socket that takes IPv4 alone ({@code ipv4Only}), where IPv6 has no other
   * way in; IPv4 ones beside an IPv4 socket otherwise.
   */
  static Set<InetAddress> besideWildcard(InetAddress wildcard, List<InetAddress> interfaceAddresses,
      boolean ipv4Only) {
    boolean ipv4Beside = wildcard instanceof Inet4Address && !ipv4Only;
    Set<InetAddress> beside = new LinkedHashSet<>();
    for (InetAddress a : interfaceAddresses) {
      if (!a.isAnyLocalAddress() && !a.isMulticastAddress()
          && (!ipv4Beside || a instanceof Inet4Address)) {
        beside.add(a);
      }
    }
    return beside;
  }

  /**
   * The addresses of this machine's interfaces that are up, loopback included; none if the
   * system will not tell (the wildcard socket then answers alone, as it would anyway).
   */
  static List<InetAddress> interfaceAddresses() {
    try {
      List<InetAddress> addresses = new ArrayList<>();
      for (NetworkInterface nif : NetworkInterface.networkInterfaces()
          .flatMap(n -> Stream.concat(Stream.of(n), n.subInterfaces())).toList()) {
        if (nif.isUp()) {
          addresses.addAll(nif.inetAddresses().toList());
        }
      }
      return addresses;
    } catch (SocketException e) {
      LOG.warn("cannot list this machine's addresses ({}): UDP replies leave from the address "
          + "the system's routing picks", e.toString());
      return List.of();
    }
  }
}
