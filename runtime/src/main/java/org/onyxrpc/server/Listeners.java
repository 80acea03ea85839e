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
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.RpcbindGroup;
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
  private final UnreadReplies unreadReplies;
  private final ByteBudget budget; // maxBufferedBytes, for the records connections hold
  private UdpEndpoint udp;
  private List<InetSocketAddress> udpAddresses = List.of();
  /** The UDP sockets with threads of their own (UdpIo.DEDICATED_THREAD), as they are opened. */
  private final List<DatagramChannel> blockingChannels = new ArrayList<>();
  private final List<BlockingUdpSocket> blockingSockets = new ArrayList<>();
  private Channel tcpChannel;
  private BlockingTcpListener blockingTcp; // TcpIo.DEDICATED_THREAD's port
  private final List<Channel> localChannels = new ArrayList<>(); // Unix-domain, in-process
  private UnixSocketFile unixFile;
  private int port;

  Listeners(ServerConfig config, Supplier<List<InetAddress>> interfaceAddresses,
      EventLoopGroup bossGroup, EventLoopGroup ioGroup, EventLoopGroup inProcessGroup,
      ConnectionLimiter limiter, ChannelGroup channels,
      Function<Transport, ChannelHandler> streamPipeline, CallProcessor processor, ServerState state,
      UnreadReplies unreadReplies, ByteBudget budget) {
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
    this.unreadReplies = unreadReplies;
    this.budget = budget;
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
      port = bindTcp(requested);
      if (transports.contains(Transport.UDP)) {
        bindUdpBeside(requested);
      }
    } else if (transports.contains(Transport.UDP)) {
      port = bindUdp(requested).getPort();
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

  /** Binds the TCP port, on the event loops or with threads of its own; returns its number. */
  private int bindTcp(InetSocketAddress address) throws IOException {
    if (config.tcpIo() == TcpIo.DEDICATED_THREAD) {
      blockingTcp = BlockingTcpListener.bind(address, config, processor, state, ioGroup, limiter,
          unreadReplies, budget);
      return blockingTcp.localAddress().getPort();
    }
    tcpChannel = bindEventLoopTcp(address);
    return ((InetSocketAddress) tcpChannel.localAddress()).getPort();
  }

  private Channel bindEventLoopTcp(InetSocketAddress address) throws IOException {
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
        closeTcpPort();
        port = bindTcp(requested);
      }
    }
  }

  /**
   * The UDP port: one socket, or on a wildcard address one per local address too (UdpSockets).
   * Returns the first socket's address.
   */
  private InetSocketAddress bindUdp(InetSocketAddress address) throws IOException {
    if (config.udpIo() == UdpIo.DEDICATED_THREAD) {
      return bindBlockingUdp(address);
    }
    Bootstrap bootstrap = new Bootstrap();
    // So that the wildcard socket can tell an IPv4 datagram from an IPv6 one with a forged
    // IPv4-mapped source, which the JDK reports alike (UdpEndpoint.forgedMappedSource).
    boolean destinations = NettyTransports.reportIpv4Destinations(bootstrap);
    UdpEndpoint endpoint = newUdpEndpoint(destinations);
    bootstrap
        .group(ioGroup)
        .channel(NettyTransports.datagramChannel())
        // One byte more than the maximum, so an oversized datagram is seen, not truncated.
        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(config.maxDatagramBytes() + 1))
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UdpSocket.repliesWaterMark(
            config.maxConcurrentCallsPerConnection(), config.maxDatagramBytes()))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            channel.pipeline().addLast(endpoint.newSocket());
          }
        });
    List<Channel> bound = UdpSockets.bind(new UdpSockets.Binder<>() {
      @Override
      public Channel bind(InetSocketAddress at, boolean reuseAddress) throws IOException {
        return await(bootstrap.clone().option(ChannelOption.SO_REUSEADDR, reuseAddress).bind(at),
            at, "UDP " + ListenPlaces.hostPort(at));
      }

      @Override
      public InetSocketAddress localAddress(Channel channel) {
        return (InetSocketAddress) channel.localAddress();
      }

      @Override
      public void reuseAddress(Channel channel, boolean on) {
        channel.config().setOption(ChannelOption.SO_REUSEADDR, on);
      }

      @Override
      public boolean ipv4WildcardIsIpv4Only() {
        return false; // Netty binds 0.0.0.0 as ::, which takes both
      }
    }, address, interfaceAddresses);
    if (address.getAddress().isAnyLocalAddress() && config.services().stream()
        .anyMatch(service -> service.programVersion().program() == Portmap.PROGRAM)) {
      // An rpcbind (the Onyx directory) hears udp6 broadcasts, sent to its group (RpcbindGroup).
      RpcbindGroup.join((io.netty.channel.socket.DatagramChannel) bound.get(0));
    }
    udpAddresses = bound.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    return udpAddresses.get(0);
  }

  private UdpEndpoint newUdpEndpoint(boolean ipv4DestinationsReported) {
    udp = new UdpEndpoint(processor, state, config.maxDatagramBytes(),
        config.maxConcurrentCallsPerConnection(), ipv4DestinationsReported);
    return udp;
  }

  /**
   * The UDP port's sockets with a thread each. A wildcard is bound as IPv4's {@code 0.0.0.0}
   * alone (a JDK socket reports no datagram's destination, so a dual-stack one could not tell a
   * forged IPv4-mapped source), with IPv6 served on the interfaces' addresses beside it.
   */
  private InetSocketAddress bindBlockingUdp(InetSocketAddress address) throws IOException {
    UdpEndpoint endpoint = newUdpEndpoint(false); // every socket's address is its datagrams'
    InetSocketAddress requested = address.getAddress().isAnyLocalAddress()
        ? new InetSocketAddress(InetAddress.getByAddress(new byte[4]), address.getPort())
        : address;
    List<DatagramChannel> bound = UdpSockets.bind(new BlockingUdpSocket.Opener(blockingChannels),
        requested, interfaceAddresses);
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (DatagramChannel channel : bound) {
      BlockingUdpSocket socket = BlockingUdpSocket.serve(endpoint, channel,
          config.pollBeforeWaiting().toNanos());
      blockingSockets.add(socket);
      addresses.add(socket.localAddress());
    }
    udpAddresses = List.copyOf(addresses);
    return udpAddresses.get(0);
  }

  /**
   * Closes the UDP sockets that have threads of their own, and waits for the threads to end
   * until {@code deadline} ({@link System#nanoTime}): all of them are closed first and waited for
   * together, as each thread may be held (a procedure that blocks under a direct executor), and a
   * wait each, one after the other, made a server on a wildcard address, one socket per address
   * of the machine, take that wait as many times over to close.
   */
  void closeBlockingUdp(long deadline) {
    for (BlockingUdpSocket socket : blockingSockets) {
      socket.close();
    }
    for (BlockingUdpSocket socket : blockingSockets) {
      socket.awaitEnd(deadline);
    }
    for (DatagramChannel channel : blockingChannels) {
      try {
        channel.close(); // those never served: the start failed
      } catch (IOException e) {
        // nothing was sent on it
      }
    }
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
    closeTcpPort();
  }

  private void closeTcpPort() {
    if (tcpChannel != null) {
      tcpChannel.close().syncUninterruptibly();
    }
    if (blockingTcp != null) {
      blockingTcp.closePort();
    }
  }

  /** Once the server drains: the connections with threads of their own refuse calls. */
  void blockingTcpDrainBegan() {
    if (blockingTcp != null) {
      blockingTcp.drainBegan();
    }
  }

  /** Whether a connection with a thread of its own is open. */
  boolean hasBlockingTcpConnections() {
    return blockingTcp != null && blockingTcp.hasConnections();
  }

  /**
   * Waits until the connections with threads of their own have ended (their peers closed their
   * ends) or {@code deadline} ({@link System#nanoTime}).
   */
  void awaitBlockingTcpEnded(long deadline) {
    if (blockingTcp != null) {
      blockingTcp.awaitConnectionsEnded(deadline);
    }
  }

  /**
   * Once the server's drain is over: the connections with threads of their own close behind
   * their replies, lingering, waited for until {@code deadline} ({@link System#nanoTime}).
   */
  void closeBlockingTcpBehindReplies(long deadline) {
    if (blockingTcp != null) {
      blockingTcp.closeBehindReplies(deadline);
    }
  }

  /**
   * Closes the TCP connections that have threads of their own and waits for the threads until
   * {@code deadline} ({@link System#nanoTime}), as {@link #closeBlockingUdp} does.
   */
  void closeBlockingTcp(long deadline) {
    if (blockingTcp != null) {
      blockingTcp.close(deadline);
    }
  }

  /** TcpIo.DEDICATED_THREAD's port, or null (for tests). */
  BlockingTcpListener blockingTcp() {
    return blockingTcp;
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
    return udpAddresses;
  }

  /** The UDP port's limits and counters, or null without UDP. */
  UdpEndpoint udpEndpoint() {
    return udp;
  }
}
