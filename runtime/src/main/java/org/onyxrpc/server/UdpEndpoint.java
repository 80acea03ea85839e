package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's UDP socket: one call per datagram, one reply datagram back to its sender
 * (RFC 5531 §10). Datagrams over the maximum size, or beyond the calls the server will hold in
 * flight for UDP, are dropped and counted: a UDP client retransmits.
 */
final class UdpEndpoint extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger LOG = LoggerFactory.getLogger(UdpEndpoint.class);

  private final CallProcessor processor;
  private final ServerState state;
  private final int maxDatagramBytes;
  private final int maxConcurrentCalls;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Executor lane; // UDP senders share one: UDP counts as one client for fairness
  private final RateLimitedLog oversized = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private final RateLimitedLog socketErrors = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  final DirectDatagramReplies direct = new DirectDatagramReplies();
  final LongAdder dropped = new LongAdder();

  UdpEndpoint(CallProcessor processor, ServerState state, int maxDatagramBytes, int maxConcurrentCalls) {
    super(false);
    this.processor = processor;
    this.state = state;
    this.maxDatagramBytes = maxDatagramBytes;
    this.maxConcurrentCalls = maxConcurrentCalls;
    this.lane = processor.newLane(null);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.pipeline().addBefore(ctx.name(), null, direct);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    ByteBuf content = packet.content();
    if (state.draining() || content.readableBytes() > maxDatagramBytes
        || inFlight.get() >= maxConcurrentCalls) {
      dropped.increment();
      LOG.debug("dropping a datagram of {} bytes from {}", content.readableBytes(), packet.sender());
      packet.release();
      return;
    }
    inFlight.incrementAndGet();
    state.callStarted();
    boolean handedOver = false;
    try {
      handedOver = processor.process(content, new Reply(ctx.channel(), packet.sender()), lane);
    } finally {
      if (!handedOver) { // otherwise callDone() gives the slot back
        inFlight.decrementAndGet();
        state.callFinished();
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    socketErrors.warn(LOG, "UDP socket error: {}", cause.toString());
  }

  /** The reply path to one datagram's sender. */
  private final class Reply implements ReplySink {
    private final Channel channel;
    private final InetSocketAddress sender;

    Reply(Channel channel, InetSocketAddress sender) {
      this.channel = channel;
      this.sender = sender;
    }

    @Override
    public ByteBuf newReply() {
      return channel.alloc().ioBuffer();
    }

    @Override
    public void send(ByteBuf reply) {
      if (reply.readableBytes() > maxDatagramBytes) {
        oversized.warn(LOG, "reply of {} bytes to {} is over the maximum datagram of {}: sending SYSTEM_ERR",
            reply.readableBytes(), sender, maxDatagramBytes);
        int xid = reply.getInt(reply.readerIndex());
        reply.release();
        reply = newReply();
        RpcMessages.writeReply(new XdrWriter(reply), ReplyHeader.accepted(xid, RpcStatus.SYSTEM_ERR));
      }
      if (!channel.eventLoop().inEventLoop() && direct.trySend(reply, sender)) {
        reply.release(); // a procedure's thread sent it: the event loop is not woken for it
        return;
      }
      channel.writeAndFlush(new DatagramPacket(reply, sender), channel.voidPromise());
    }

    @Override
    public void callDone() {
      inFlight.decrementAndGet();
      state.callFinished();
    }

    @Override
    public SocketAddress remoteAddress() {
      return sender;
    }

    @Override
    public Transport transport() {
      return Transport.UDP;
    }
  }
}
