package org.onyxrpc.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * A blocking byte stream over a Netty Unix-domain or in-process channel, for {@link RawTcpPeer}:
 * what arrives is queued by the event loop and read with a timeout, like a socket's; what is
 * written is queued without bound.
 */
final class NettyStream implements AutoCloseable {
  private static final byte[] EOF = new byte[0];

  private final EventLoopGroup group;
  private final Channel channel;
  private final LinkedBlockingQueue<byte[]> arrived;
  private volatile int timeoutMillis = RawTcpPeer.READ_TIMEOUT_MILLIS;

  private NettyStream(EventLoopGroup group, Channel channel, LinkedBlockingQueue<byte[]> arrived) {
    this.group = group;
    this.channel = channel;
    this.arrived = arrived;
  }

  static NettyStream connect(Transport transport, SocketAddress address) throws IOException {
    boolean unix = transport == Transport.UNIX;
    EventLoopGroup group = unix ? NettyTransports.newEventLoopGroup(1, "raw-peer")
        : NettyTransports.newInProcessEventLoopGroup(1, "raw-peer");
    LinkedBlockingQueue<byte[]> arrived = new LinkedBlockingQueue<>();
    ChannelFuture connected = new Bootstrap().group(group)
        .channel(unix ? NettyTransports.domainSocketChannel() : NettyTransports.inProcessChannel())
        .handler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            if (bytes.length > 0) { // an empty write (a close's marker) is no byte to read
              arrived.add(bytes);
            }
          }

          @Override
          public void channelInactive(ChannelHandlerContext ctx) {
            arrived.add(EOF);
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
          }
        })
        .connect(unix ? NettyTransports.domainSocketAddress((UnixSocketAddress) address) : address);
    if (!connected.awaitUninterruptibly(5, TimeUnit.SECONDS) || !connected.isSuccess()) {
      connected.channel().close();
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IOException("cannot connect to " + address, connected.cause());
    }
    return new NettyStream(group, connected.channel(), arrived);
  }

  void timeout(int millis) {
    timeoutMillis = millis;
  }

  InputStream input() {
    return new InputStream() {
      private byte[] chunk = new byte[0];
      private int next;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        if (chunk == EOF) {
          return -1;
        }
        if (next == chunk.length) {
          try {
            byte[] got = arrived.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (got == null) {
              throw new SocketTimeoutException("nothing within " + timeoutMillis + " ms");
            }
            chunk = got;
            next = 0;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          }
          if (chunk == EOF) {
            return -1;
          }
        }
        int n = Math.min(len, chunk.length - next);
        System.arraycopy(chunk, next, b, off, n);
        next += n;
        return n;
      }
    };
  }

  private static final int CHUNK = 64 << 10;

  OutputStream output() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (!channel.isActive()) {
          throw new IOException("connection closed");
        }
        // Not waited for: what the server does not read waits here, as in a large socket buffer
        // (a Unix-domain socket's is smaller than a loopback TCP one's). In pieces of at most
        // 64 KiB, as a socket's reads bring them: an in-process channel hands each write to the
        // server whole, and a peer's 1 MiB would otherwise be one read.
        for (int at = off; at < off + len; at += CHUNK) {
          int n = Math.min(CHUNK, off + len - at);
          channel.write(Unpooled.copiedBuffer(b, at, n), channel.voidPromise());
        }
        channel.flush();
      }
    };
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
