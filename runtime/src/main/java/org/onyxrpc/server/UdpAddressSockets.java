package org.onyxrpc.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.onyxrpc.internal.transport.NettyTransports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a UDP reply leave from the address its call was sent to when the server is bound to
 * every address. The wildcard socket's replies leave from whichever address the system routes
 * them from: on a host with several addresses (a second network, a service address that moves
 * between hosts, IPv6's several addresses per interface) a call to one may be answered from
 * another, and a client whose UDP socket is connected (libtirpc's {@code CLSET_CONNECT}, Linux's
 * kernel RPC client) or that sits behind a stateful firewall drops that reply as a stranger's.
 * libtirpc's server answers from the called address (IP_PKTINFO), which Netty cannot set on a
 * datagram it sends; so, as ntpd and BIND do, the server also binds one socket on each address
 * of this host, on the same port. The system hands a datagram to the socket of the address it
 * was sent to, and the reply leaves from that address. The wildcard socket keeps whatever none of
 * them takes: broadcasts, and addresses that came after the server started.
 *
 * <p>Two sockets share a port only if both have SO_REUSEPORT set (and one user owns them) when
 * the second binds. The wildcard socket binds without it, so a port taken elsewhere still fails
 * the server as before; it is set for the address sockets' binds and then cleared on every
 * socket, so no other socket can join the port afterwards.
 */
final class UdpAddressSockets {
  private static final Logger LOG = LoggerFactory.getLogger(UdpAddressSockets.class);
  /** Addresses beyond this many are left to the wildcard socket. */
  static final int MAX_SOCKETS = 64;

  private UdpAddressSockets() {}

  /**
   * Binds a socket on each address of this host that {@code wildcard} receives, on its port,
   * each made by {@code bootstrap}; returns those that bound (an address that cannot be bound,
   * such as an IPv6 address still tentative, stays with the wildcard socket).
   */
  static List<Channel> bind(Channel wildcard, Supplier<Bootstrap> bootstrap) {
    InetSocketAddress bound = (InetSocketAddress) wildcard.localAddress();
    // An IPv4 wildcard socket takes IPv4 only; an IPv6 one (dual-stack) both families.
    boolean ipv4Only = bound.getAddress() instanceof Inet4Address;
    ChannelOption<Boolean> reusePort = NettyTransports.reusePort();
    List<Channel> sockets = new ArrayList<>();
    try {
      wildcard.config().setOption(reusePort, true);
      for (InetAddress address : localAddresses()) {
        if (ipv4Only && !(address instanceof Inet4Address)) {
          continue;
        }
        if (sockets.size() == MAX_SOCKETS) {
          LOG.info("UDP port {}: replies to calls sent to more than {} addresses leave from the"
              + " address the system chooses", bound.getPort(), MAX_SOCKETS);
          break;
        }
        ChannelFuture future = bootstrap.get().option(reusePort, true)
            .bind(new InetSocketAddress(address, bound.getPort())).awaitUninterruptibly();
        if (future.isSuccess()) {
          sockets.add(future.channel());
        } else {
          LOG.debug("UDP port {}: no socket of its own on {}: {}", bound.getPort(), address,
              future.cause().toString());
        }
      }
    } catch (ChannelException e) {
      LOG.debug("UDP port {}: no sockets on each address: {}", bound.getPort(), e.toString());
    } finally {
      exclusive(wildcard, reusePort);
      sockets.forEach(socket -> exclusive(socket, reusePort));
    }
    return sockets;
  }

  private static void exclusive(Channel socket, ChannelOption<Boolean> reusePort) {
    try {
      socket.config().setOption(reusePort, false);
    } catch (ChannelException e) {
      LOG.debug("cannot clear SO_REUSEPORT on {}: {}", socket.localAddress(), e.toString());
    }
  }

  /** The addresses of this host's interfaces that are up. */
  private static List<InetAddress> localAddresses() {
    List<InetAddress> addresses = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nif.isUp()) {
          addresses.addAll(Collections.list(nif.getInetAddresses()));
        }
      }
    } catch (SocketException e) {
      LOG.debug("cannot list this host's addresses: {}", e.toString());
    }
    return addresses;
  }
}
