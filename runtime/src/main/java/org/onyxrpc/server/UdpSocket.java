package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket of the server's {@link UdpEndpoint}, on an event loop: hands each call datagram
 * to the port and sends its reply back through this socket, so that the reply leaves from the
 * address the call was sent to when the socket is bound to one.
 */
final class UdpSocket extends SimpleChannelInboundHandler<DatagramPacket>
    implements UdpEndpoint.Replies {
  private static final Logger LOG = LoggerFactory.getLogger(UdpSocket.class);

  private final UdpEndpoint endpoint;
  private final DirectDatagramReplies direct;
  private Channel channel; // one handler per channel
  /** The last IPv6 sender renamed without its scope of 0, and its new name (event loop only). */
  private InetSocketAddress lastScoped;
  private InetSocketAddress lastUnscoped;
  /** The reply path of the last datagram's sender (event loop only). */
  private final UdpEndpoint.LastReply lastReply = new UdpEndpoint.LastReply();

  /** The most bytes of replies a socket's channel queues, at most 64 MiB. */
  private static final long MOST_QUEUED = 64L << 20;

  /**
   * The water mark of a UDP socket's channel: room for a reply of the largest size from each of
   * UDP's {@code maxConcurrentCalls} calls, so that every call in flight may reply at once (each
   * reply a worker makes waits as a task for the event loop when it cannot be sent directly, and
   * is counted against the mark meanwhile: Netty's default of 64 KiB left room for one), and no
   * more than 64 MiB. A channel past it is not writable, and a reply made then is dropped.
   */
  static WriteBufferWaterMark repliesWaterMark(int maxConcurrentCalls, int maxDatagramBytes) {
    int high = (int) Math.min(MOST_QUEUED, (long) maxConcurrentCalls * (maxDatagramBytes + 64));
    return new WriteBufferWaterMark(high / 2, high);
  }

  UdpSocket(UdpEndpoint endpoint) {
    super(false);
    this.endpoint = endpoint;
    this.direct = new DirectDatagramReplies(endpoint.sentDirectly);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    ctx.pipeline().addBefore(ctx.name(), null, direct);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    endpoint.receive(packet.content(), unscoped(packet.sender()), packet.recipient(), this,
        lastReply);
  }

  /**
   * {@code sender}, or, an IPv6 one with a scope of 0 (epoll reports every IPv6 source with the
   * scope its socket address had, 0 for none), the same address without a scope: else each log
   * line, message and {@code CallContext} named {@code ::1} as {@code [0:0:0:0:0:0:0:1%0]}. The
   * last one is kept, so that a steady IPv6 caller costs no allocation per datagram.
   */
  private InetSocketAddress unscoped(InetSocketAddress sender) {
    if (!(sender.getAddress() instanceof Inet6Address six) || six.getScopeId() != 0) {
      return sender;
    }
    if (sender.equals(lastScoped)) { // address and port; a scope is not compared
      return lastUnscoped;
    }
    try {
      // A scope of -1 is none; an Inet6Address stays one (an IPv4-mapped one too, as epoll gave it).
      lastUnscoped = new InetSocketAddress(
          Inet6Address.getByAddress(null, six.getAddress(), -1), sender.getPort());
      lastScoped = sender;
      return lastUnscoped;
    } catch (UnknownHostException e) {
      return sender; // not thrown for an address of 16 bytes
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    endpoint.socketErrors.warn(LOG, "UDP socket error: {}", cause.toString());
  }

  @Override
  public ByteBuf newReply() {
    return channel.alloc().ioBuffer();
  }

  /**
   * Through the channel, or straight to its socket from a procedure's thread; dropped if the
   * channel is not writable.
   */
  @Override
  public void send(ByteBuf reply, InetSocketAddress to) {
    if (!channel.eventLoop().inEventLoop() && direct.trySend(reply, to)) {
      reply.release(); // a procedure's thread sent it: the event loop is not woken for it
      return;
    }
    if (!channel.isWritable()) {
      // The socket's send buffer is full (replies to sources that do not answer ARP wait in it
      // for seconds, say) and the channel's high water mark of replies already waits behind it.
      // Queued still, replies grew without bound at the rate calls came, each call's slot given
      // back as its reply was queued. Dropped instead, as the kernel drops a datagram it has no
      // room for: the client retransmits, and an at-most-once call's retransmission is answered
      // from the duplicate request cache.
      endpoint.dropped.increment();
      endpoint.unsentReplies.warn(LOG, "UDP send buffer full: dropping a reply of {} bytes to {}",
          reply.readableBytes(), to);
      reply.release();
      return;
    }
    channel.writeAndFlush(new DatagramPacket(reply, to), channel.voidPromise());
  }
}
