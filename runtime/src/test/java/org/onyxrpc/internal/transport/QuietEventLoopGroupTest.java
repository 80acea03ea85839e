package org.onyxrpc.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.testing.LeakDetection;

/**
 * A loop shut down while it runs its tasks (as the last client's close does, on the loop itself)
 * still closes its channels and tears their pipelines down before it ends. Netty's own loop
 * closes them only if it sees the shutdown right after waiting for I/O.
 */
@Timeout(60)
@ExtendWith(LeakDetection.class)
class QuietEventLoopGroupTest {
  private static final long CLOSED_WITHIN_SECONDS = 5;

  /** Keeps a buffer while in the pipeline, as RecordReadSizing does, and says when it is removed. */
  private static final class Keeper extends ChannelInboundHandlerAdapter {
    final CompletableFuture<Void> removed = new CompletableFuture<>();
    private ByteBuf kept;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      kept = ctx.alloc().buffer(64);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      kept.release();
      removed.complete(null);
    }
  }

  private static EventLoopGroup oneLoop(IoHandlerFactory io) {
    return new QuietEventLoopGroup(1, new DefaultThreadFactory("quiet-loop-test", true), io);
  }

  /** Asks for the shutdown from a task on the channel's loop, then waits for the loop's end. */
  private static void shutDownFromItsLoop(EventLoopGroup group, Channel channel) throws Exception {
    channel.eventLoop().execute(() -> group.shutdownGracefully(0, 0, TimeUnit.SECONDS));
    assertTrue(group.terminationFuture().await(30, TimeUnit.SECONDS), "the loop did not end");
  }

  private static void aSocketIsClosedWhenItsLoopStops(IoHandlerFactory io,
      Class<? extends Channel> channelClass) throws Exception {
    EventLoopGroup group = oneLoop(io);
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Keeper keeper = new Keeper();
      Channel channel = new Bootstrap().group(group).channel(channelClass).handler(keeper)
          .connect(listener.getLocalSocketAddress()).syncUninterruptibly().channel();
      try (Socket peer = listener.accept()) {
        shutDownFromItsLoop(group, channel);
        assertTrue(keeper.removed.isDone(), "the loop ended without tearing its channel down");
        peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(CLOSED_WITHIN_SECONDS)); // a bound, not a wait
        InputStream in = peer.getInputStream();
        assertEquals(-1, in.read(), "the peer saw no end of the stream");
      }
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }

  @Test
  void anNioSocketIsClosedWhenItsLoopStopsWhileRunningTasks() throws Exception {
    aSocketIsClosedWhenItsLoopStops(NioIoHandler.newFactory(), NioSocketChannel.class);
  }

  @Test
  void anEpollSocketIsClosedWhenItsLoopStopsWhileRunningTasks() throws Exception {
    assumeTrue(Epoll.isAvailable(), "epoll is not available here");
    aSocketIsClosedWhenItsLoopStops(EpollIoHandler.newFactory(), EpollSocketChannel.class);
  }

  @Test
  void anInProcessChannelIsClosedWhenItsLoopStopsWhileRunningTasks() throws Exception {
    EventLoopGroup serverGroup = oneLoop(LocalIoHandler.newFactory());
    EventLoopGroup group = oneLoop(LocalIoHandler.newFactory());
    try {
      CompletableFuture<Void> peerClosed = new CompletableFuture<>();
      LocalAddress address = new LocalAddress("quiet-loop-test");
      Channel server = new ServerBootstrap().group(serverGroup).channel(LocalServerChannel.class)
          .childHandler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
              peerClosed.complete(null);
            }
          })
          .bind(address).syncUninterruptibly().channel();
      Keeper keeper = new Keeper();
      Channel channel = new Bootstrap().group(group).channel(LocalChannel.class).handler(keeper)
          .connect(address).syncUninterruptibly().channel();
      shutDownFromItsLoop(group, channel);
      assertTrue(keeper.removed.isDone(), "the loop ended without tearing its channel down");
      peerClosed.get(CLOSED_WITHIN_SECONDS, TimeUnit.SECONDS);
      server.close().syncUninterruptibly();
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      serverGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
