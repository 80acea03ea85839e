package org.onyxrpc.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * Chooses Netty's native epoll transport where it loads (Linux) and NIO elsewhere, so the rest of
 * the runtime never names a transport class.
 */
public final class NettyTransports {
  private static final boolean EPOLL = Epoll.isAvailable()
      && !Boolean.getBoolean("org.onyxrpc.noEpoll");

  private NettyTransports() {}

  /** True when the native epoll transport is in use. */
  public static boolean epoll() {
    return EPOLL;
  }

  /**
   * A group of {@code threads} event loops (0: Netty's default) with daemon threads named {@code name}.
   *
   * @throws java.io.UncheckedIOException when the process may open no more files, saying so
   */
  public static EventLoopGroup newEventLoopGroup(int threads, String name) {
    IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    try {
      return new QuietEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
    } catch (IllegalStateException e) {
      throw EventLoopStartFailure.of(threads, name, e);
    }
  }

  /** The TCP client channel class. */
  public static Class<? extends SocketChannel> socketChannel() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** The TCP listening channel class. */
  public static Class<? extends ServerSocketChannel> serverSocketChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** The UDP channel class. */
  public static Class<? extends DatagramChannel> datagramChannel() {
    return EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
  }

  /**
   * Asks the UDP sockets {@code bootstrap} binds to give each IPv4 datagram its own destination
   * as {@code DatagramPacket.recipient()} (IP_RECVORIGDSTADDR), where the native transport can;
   * otherwise a datagram's recipient is the socket's own address, a wildcard socket's too.
   *
   * @return true if asked: then a datagram whose recipient is still the wildcard {@code ::} came
   *     as IPv6, whatever source the JDK reports for it
   */
  public static boolean reportIpv4Destinations(Bootstrap bootstrap) {
    if (EPOLL) {
      bootstrap.option(EpollChannelOption.IP_RECVORIGDSTADDR, true);
    }
    return EPOLL;
  }

  /**
   * Throws unless Unix-domain sockets can be used: Linux, with Netty's native epoll transport
   * loaded and not turned off.
   *
   * @throws IllegalStateException naming why not
   */
  public static void requireUnixSockets() {
    if (!EPOLL) {
      throw new IllegalStateException(unixSocketsUnavailable(Epoll.unavailabilityCause(),
          NettyTransports.class.getModule().isNamed(), System.getProperty("os.name")));
    }
  }

  /**
   * Why Unix-domain sockets cannot be used: epoll turned off ({@code why} null) or its cause. In
   * a named module (an application on the module path) the usual cause on Linux is Netty's
   * native module left unresolved, which nothing else tells the user.
   */
  static String unixSocketsUnavailable(Throwable why, boolean namedModule, String osName) {
    String text = "Transport.UNIX needs Linux and Netty's native epoll transport ("
        + (why == null ? "turned off by -Dorg.onyxrpc.noEpoll" : why.toString()) + "; os.name="
        + osName + ")";
    if (why != null && namedModule && osName != null && osName.startsWith("Linux")) {
      text += "; on the module path, resolve Netty's native module too: --add-modules"
          + " io.netty.transport.epoll.linux.x86_64 (linux.aarch_64 on 64-bit ARM) or ALL-MODULE-PATH";
    }
    return text;
  }

  /** The Unix-domain client channel class (Linux, epoll). */
  public static Class<? extends Channel> domainSocketChannel() {
    return EpollDomainSocketChannel.class;
  }

  /** The Unix-domain listening channel class (Linux, epoll). */
  public static Class<? extends ServerChannel> serverDomainSocketChannel() {
    return EpollServerDomainSocketChannel.class;
  }

  /** What Netty connects or binds to for {@code address}. */
  public static DomainSocketAddress domainSocketAddress(UnixSocketAddress address) {
    return new DomainSocketAddress(address.kernelName());
  }

  /**
   * The kernel's word on who is at the other end of a Unix-domain connection ({@code
   * SO_PEERCRED}), or null for any other channel.
   *
   * @throws java.io.IOException if the kernel cannot tell (the connection is gone)
   */
  public static io.netty.channel.unix.PeerCredentials peerCredentials(Channel channel)
      throws java.io.IOException {
    return channel instanceof EpollDomainSocketChannel unix ? unix.peerCredentials() : null;
  }

  /**
   * A group of {@code threads} event loops (0: Netty's default) that in-process channels can
   * run on (they cannot share the epoll or NIO loops), with daemon threads named {@code name}.
   */
  public static EventLoopGroup newInProcessEventLoopGroup(int threads, String name) {
    return new QuietEventLoopGroup(threads, new DefaultThreadFactory(name, true),
        LocalIoHandler.newFactory());
  }

  /** The in-process client channel class: runs on a {@link #newInProcessEventLoopGroup} loop. */
  public static Class<? extends Channel> inProcessChannel() {
    return LocalChannel.class;
  }

  /** The in-process listening channel class. */
  public static Class<? extends ServerChannel> inProcessServerChannel() {
    return LocalServerChannel.class;
  }

  /** The address of the in-process server named {@code name}. */
  public static LocalAddress inProcessAddress(String name) {
    return new LocalAddress(name);
  }
}
