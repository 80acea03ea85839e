package org.onyxrpc.internal.rpcbind;

import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RPC multicast group, {@code ff02::202} (libtirpc's {@code RPCB_MULTICAST_ADDR}), which an
 * rpcbind on every address joins: IPv6 has no broadcast, so {@code rpc_broadcast} over udp6
 * ({@code rpcinfo -b}, and every broadcast over nettype "udp", which takes udp6 too) sends
 * rpcbind's CALLIT to that group's port 111 on each multicast interface.
 *
 * <p>rpcbind's {@code network_init} joins it on each multicast interface with an IPv6 address,
 * on a socket of its own, counting on Linux handing the group's datagrams to every socket of the
 * port that joined no group itself ({@code IPV6_MULTICAST_ALL}). That does not serve here: Netty's
 * epoll datagram sockets turn {@code IPV6_MULTICAST_ALL} off, so the directory's own wildcard
 * socket joins, as Solaris's rpcbind joins on its udp6 socket. (Debian's rpcbind 1.2.6 joins
 * and then closes the socket that joined, so it hears no udp6 broadcast: {@code ip -6 maddr}
 * lists no ff02::202 beside it.) The interfaces are those at start, as rpcbind's.
 */
public final class RpcbindGroup {
  private static final Logger LOG = LoggerFactory.getLogger(RpcbindGroup.class);

  /** ff02::202, the link-local RPC group. */
  public static final InetAddress GROUP = group();

  private RpcbindGroup() {}

  /**
   * Joins the group on {@code channel} (a dual-stack socket bound to the wildcard) on each
   * multicast interface that has an IPv6 address now. An interface that refuses is left out,
   * logged at DEBUG as rpcbind says so only when debugging; a host without IPv6 joins none. The
   * memberships end with the socket.
   *
   * @param channel the wildcard socket
   * @return the names of the interfaces joined on
   */
  public static List<String> join(DatagramChannel channel) {
    List<NetworkInterface> interfaces;
    try {
      interfaces = Collections.list(NetworkInterface.getNetworkInterfaces());
    } catch (SocketException e) {
      LOG.debug("{} not joined: {}", GROUP.getHostAddress(), e.toString());
      return List.of();
    }
    List<String> joined = new ArrayList<>();
    for (NetworkInterface ni : interfaces) {
      if (!multicastWithIpv6(ni)) {
        continue;
      }
      // At start, on the caller's thread: epoll joins on the socket's event loop.
      ChannelFuture join = channel.joinGroup(new InetSocketAddress(GROUP, 0), ni); // no port asked
      if (!join.awaitUninterruptibly(5, TimeUnit.SECONDS)) {
        LOG.debug("{} not joined on {} within 5 s", GROUP.getHostAddress(), ni.getName());
      } else if (join.isSuccess()) {
        joined.add(ni.getName());
      } else {
        LOG.debug("{} not joined on {}: {}", GROUP.getHostAddress(), ni.getName(), join.cause().toString());
      }
    }
    return List.copyOf(joined);
  }

  private static boolean multicastWithIpv6(NetworkInterface ni) {
    try {
      return ni.supportsMulticast() && ni.inetAddresses().anyMatch(a -> a instanceof Inet6Address);
    } catch (SocketException e) {
      return false;
    }
  }

  private static InetAddress group() {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
