package org.onyxrpc.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.internal.transport.UnixSocketFile;
import org.onyxrpc.transport.Transport;

/**
 * The sockets an {@link RpcServer} listens on: binds those its configuration names when the server
 * starts, and closes the listening ones first when it shuts down. Every channel bound, and every
 * connection accepted, joins the server's channel group, which closes them all at the end.
 */
final class Listeners {
  private static final int UDP_BIND_ATTEMPTS = 20;

  private final ServerConfig config;
  /** The addresses a UDP port on a wildcard address binds too (UdpSockets). */
  private final Supplier<List<InetAddress>> interfaceAddresses;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup ioGroup;
  private final EventLoopGroup inProcessGroup; // null unless the server serves in-process
  private final ConnectionLimiter limiter;
  private final ChannelGroup channels;
  /** The pipeline of a connection accepted over a stream transport (TCP, Unix-domain, in-process). */
  private final Function<Transport, ChannelHandler> streamPipeline;
  private final CallProcessor processor;
  private final ServerState state;
  private UdpEndpoint udp;
  private List<Channel> udpChannels = List.of();
  private Channel tcpChannel;
  private final List<Channel> localChannels = new ArrayList<>(); // Unix-domain, in-process
  private UnixSocketFile unixFile;
  private int port;

  Listeners(ServerConfig config, Supplier<List<InetAddress>> interfaceAddresses,
      EventLoopGroup bossGroup, EventLoopGroup ioGroup, EventLoopGroup inProcessGroup,
      ConnectionLimiter limiter, ChannelGroup channels,
      Function<Transport, ChannelHandler> streamPipeline, CallProcessor processor, ServerState state) {
    this.config = config;
    this.interfaceAddresses = interfaceAddresses;
    this.bossGroup = bossGroup;
    this.ioGroup = ioGroup;
    this.inProcessGroup = inProcessGroup;
    this.limiter = limiter;
    this.channels = channels;
    this.streamPipeline = streamPipeline;
    this.processor = processor;
    this.state = state;
  }

  /**
   * Binds every transport configured. On failure what was bound stays in the channel group, and
   * the Unix-domain socket file, if made, is left for {@link #removeSocketFile}.
   *
   * @throws IOException if a port or socket cannot be bound
   */
  void bind() throws IOException {
    Set<Transport> transports = config.transports();
    InetSocketAddress requested = config.bindAddress();
    if (transports.contains(Transport.TCP)) {
      tcpChannel = bindTcp(requested);
      port = ((InetSocketAddress) tcpChannel.localAddress()).getPort();
      if (transports.contains(Transport.UDP)) {
        bindUdpBeside(requested);
      }
    } else if (transports.contains(Transport.UDP)) {
      port = ((InetSocketAddress) bindUdp(requested).get(0).localAddress()).getPort();
    }
    if (transports.contains(Transport.UNIX)) {
      unixFile = UnixSocketFile.prepare(config.unixSocket());
      localChannels.add(bindStream(bossGroup, ioGroup, NettyTransports.serverDomainSocketChannel(),
          NettyTransports.domainSocketAddress(unixFile.bindAddress()), Transport.UNIX,
          "Unix-domain socket " + config.unixSocket()));
      unixFile.bound();
    }
    if (transports.contains(Transport.IN_PROCESS)) {
      localChannels.add(bindStream(inProcessGroup, inProcessGroup,
          NettyTransports.inProcessServerChannel(),
          NettyTransports.inProcessAddress(config.inProcessName()), Transport.IN_PROCESS,
          "in-process name \"" + config.inProcessName() + "\""));
    }
  }

  /** A Unix-domain or in-process listener: the TCP pipeline, without TCP's socket options. */
  private Channel bindStream(EventLoopGroup boss, EventLoopGroup io,
      Class<? extends ServerChannel> channel, SocketAddress address, Transport transport,
      String what) throws IOException {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, io)
        .channel(channel)
        .handler(limiter)
        .childHandler(streamPipeline.apply(transport));
    return await(bootstrap.bind(address), address, what);
  }

  private Channel bindTcp(InetSocketAddress address) throws IOException {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(bossGroup, ioGroup)
        .channel(NettyTransports.serverSocketChannel())
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .handler(limiter)
        .childHandler(streamPipeline.apply(Transport.TCP));
    return await(bootstrap.bind(address), address, "TCP " + ListenPlaces.hostPort(address));
  }

  /** UDP on the TCP port; when the port was chosen by the system, retries on a clash. */
  private void bindUdpBeside(InetSocketAddress requested) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        bindUdp(new InetSocketAddress(requested.getAddress(), port));
        return;
      } catch (IOException e) {
        if (requested.getPort() != 0 || attempt == UDP_BIND_ATTEMPTS) {
          throw e;
        }
        tcpChannel.close().syncUninterruptibly();
        tcpChannel = bindTcp(requested);
        port = ((InetSocketAddress) tcpChannel.localAddress()).getPort();
      }
    }
  }

  /** The UDP port: one socket, or on a wildcard address one per local address too (UdpSockets). */
  private List<Channel> bindUdp(InetSocketAddress address) throws IOException {
    Bootstrap bootstrap = new Bootstrap();
    // So that the wildcard socket can tell an IPv4 datagram from an IPv6 one with a forged
    // IPv4-mapped source, which the JDK reports alike (UdpSocket.forgedMappedSource).
    boolean destinations = NettyTransports.reportIpv4Destinations(bootstrap);
    UdpEndpoint endpoint = new UdpEndpoint(processor, state, config.maxDatagramBytes(),
        config.maxConcurrentCallsPerConnection(), destinations);
    udp = endpoint;
    bootstrap
        .group(ioGroup)
        .channel(NettyTransports.datagramChannel())
        // One byte more than the maximum, so an oversized datagram is seen, not truncated.
        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(config.maxDatagramBytes() + 1))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            channel.pipeline().addLast(endpoint.newSocket());
          }
        });
    udpChannels = UdpSockets.bind(bootstrap, address, interfaceAddresses, this::await);
    return udpChannels;
  }

  private Channel await(ChannelFuture future, SocketAddress at, String what) throws IOException {
    future.awaitUninterruptibly();
    if (!future.isSuccess()) {
      throw new IOException(ListenFailures.message(what, at, future.cause()), future.cause());
    }
    channels.add(future.channel());
    return future.channel();
  }

  /**
   * Closes the listeners of connections, so that no newcomer is taken: the local ones first, so
   * that once the TCP port refuses, no listener takes one. UDP sockets stay open.
   */
  void closeListeners() {
    for (Channel listener : localChannels) {
      listener.close().syncUninterruptibly();
    }
    if (tcpChannel != null) {
      tcpChannel.close().syncUninterruptibly();
    }
  }

  /** Removes the Unix-domain socket file, if one was made. */
  void removeSocketFile() {
    if (unixFile != null) {
      unixFile.remove();
    }
  }

  /** The port TCP and UDP share; 0 before {@link #bind}, or if the server listens on neither. */
  int port() {
    return port;
  }

  /** The local addresses of the UDP port's sockets, the requested address's first. */
  List<InetSocketAddress> udpAddresses() {
    return udpChannels.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
  }

  /** The UDP port's limits and counters, or null without UDP. */
  UdpEndpoint udpEndpoint() {
    return udp;
  }
}
