package org.onyxrpc.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.internal.transport.RecordDecoder;

/**
 * The raw-Netty baseline's server: the runtime's {@link RecordDecoder} and a handler that answers
 * each record with the canned {@link Wire#reply()} carrying the request's xid. Like the Onyx
 * server it writes during the read and flushes once when the read completes; unlike it, it decodes
 * nothing else, keeps no per-call state and has no idle or limit handlers.
 */
final class NettyRecordServer implements AutoCloseable {
  private static final byte[] REPLY = Wire.reply();
  /** Its one event loop's thread name prefix. */
  static final String THREAD = ServerThreads.named("netty-baseline");

  private final EventLoopGroup group =
      NettyTransports.newEventLoopGroup(1, THREAD);
  private final Channel listener;

  NettyRecordServer() throws InterruptedException {
    listener = new ServerBootstrap()
        .group(group)
        .channel(NettyTransports.serverSocketChannel())
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new RecordDecoder(1 << 20), new Answer());
          }
        })
        .bind(InetAddress.getLoopbackAddress(), 0)
        .sync()
        .channel();
  }

  int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Answer extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf record = (ByteBuf) msg;
      int xid = record.getInt(record.readerIndex());
      record.release();
      ByteBuf reply = ctx.alloc().ioBuffer(REPLY.length).writeBytes(REPLY);
      reply.setInt(Wire.XID_OFFSET, xid);
      ctx.write(reply, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }
}
