package org.onyxrpc.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
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

  /** Waits for a bind, as {@link RpcServer} does for each of its listeners. */
  interface Listen {
    Channel await(ChannelFuture bind, SocketAddress at, String what) throws IOException;
  }

  private UdpSockets() {}

  /**
   * Binds {@code address}, and on a wildcard address also each of {@code interfaceAddresses} that
   * the wildcard socket receives for, on the port it got. Returns the channels, the wildcard's
   * first.
   *
   * @throws IOException if {@code address} itself cannot be bound
   */
  static List<Channel> bind(Bootstrap bootstrap, InetSocketAddress address,
      Supplier<List<InetAddress>> interfaceAddresses, Listen listen) throws IOException {
    Channel first = listen.await(bootstrap.clone().option(ChannelOption.SO_REUSEADDR, false)
        .bind(address), address, "UDP " + ListenPlaces.hostPort(address));
    if (!address.getAddress().isAnyLocalAddress()) {
      return List.of(first);
    }
    InetSocketAddress wildcard = (InetSocketAddress) first.localAddress();
    int port = wildcard.getPort();
    List<Channel> bound = new ArrayList<>();
    bound.add(first);
    first.config().setOption(ChannelOption.SO_REUSEADDR, true);
    try {
      Bootstrap beside = bootstrap.clone().option(ChannelOption.SO_REUSEADDR, true);
      for (InetAddress local : besideWildcard(wildcard.getAddress(), interfaceAddresses.get())) {
        InetSocketAddress at = new InetSocketAddress(local, port);
        try {
          bound.add(listen.await(beside.bind(at), at, "UDP " + ListenPlaces.hostPort(at)));
        } catch (IOException e) {
          LOG.warn("{}; the socket on {} answers calls to that address, from the address the "
              + "system's routing picks", e.getMessage(), ListenPlaces.hostPort(address));
        }
      }
    } finally {
      for (Channel channel : bound) {
        channel.config().setOption(ChannelOption.SO_REUSEADDR, false);
      }
    }
    LOG.debug("UDP port {}: one socket on each of {}", port,
        bound.stream().map(c -> ListenPlaces.hostPort((InetSocketAddress) c.localAddress())).toList());
    return bound;
  }

  /**
   * The addresses to bind beside {@code wildcard}, each once: all of them beside an IPv6 socket,
   * which takes IPv4 too (Netty and the JDK bind 0.0.0.0 as {@code ::} where IPv6 is available),
   * IPv4 ones beside an IPv4 socket.
   */
  static Set<InetAddress> besideWildcard(InetAddress wildcard, List<InetAddress> interfaceAddresses) {
    Set<InetAddress> beside = new LinkedHashSet<>();
    for (InetAddress a : interfaceAddresses) {
      if (!a.isAnyLocalAddress() && !a.isMulticastAddress()
          && (!(wildcard instanceof Inet4Address) || a instanceof Inet4Address)) {
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
