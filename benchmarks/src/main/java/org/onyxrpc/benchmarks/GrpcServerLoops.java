package org.onyxrpc.benchmarks;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server's own event loops, with threads named as a server's: what grpc-netty's default
 * groups are (native epoll where it loads, else NIO; one boss thread; daemon
 * {@code FastThreadLocalThread}s from Netty's {@code DefaultThreadFactory}), except that the
 * worker group has one thread, as one connection only ever uses one, and that the client does not
 * share it. Classes of grpc-netty-shaded's own copy of Netty, as its builder requires.
 */
final class GrpcServerLoops implements AutoCloseable {
  private static final boolean EPOLL = Epoll.isAvailable();

  private final EventLoopGroup boss = group(ServerThreads.named("grpc-boss"));
  private final EventLoopGroup worker = group(ServerThreads.named("grpc-worker"));

  /** Puts the server on these loops. */
  NettyServerBuilder configure(NettyServerBuilder builder) {
    return builder
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(worker)
        .channelType(EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
  }

  private static EventLoopGroup group(String name) {
    IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name, true), io);
  }

  /** Stops the loops; after the server has terminated. */
  @Override
  public void close() {
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    worker.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
