package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.transport.ClientAddress;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket of the server's {@link UdpEndpoint}: admits each call datagram against the
 * port's limits and sends its reply back through this socket, so that the reply leaves from the
 * address the call was sent to when the socket is bound to one.
 */
final class UdpSocket extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger LOG = LoggerFactory.getLogger(UdpSocket.class);

  private final UdpEndpoint endpoint;
  private final DirectDatagramReplies direct;

  UdpSocket(UdpEndpoint endpoint) {
    super(false);
    this.endpoint = endpoint;
    this.direct = new DirectDatagramReplies(endpoint.sentDirectly);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.pipeline().addBefore(ctx.name(), null, direct);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    UdpEndpoint port = endpoint;
    ByteBuf content = packet.content();
    String refused = refusal(port, packet);
    if (refused != null) {
      drop(port, packet, refused);
      return;
    }
    Object address = ClientAddress.of(packet.sender());
    UdpEndpoint.Sender sender = address == null ? null : port.admit(address);
    if (sender == null) {
      drop(port, packet, "its address has " + port.maxCallsPerAddress() + " calls in flight");
      return;
    }
    port.inFlight.incrementAndGet();
    port.state.callStarted();
    boolean handedOver = false;
    try {
      handedOver = port.processor.process(content, new Reply(ctx.channel(), packet.sender(), address),
          sender.lane);
    } finally {
      if (!handedOver) { // otherwise callDone() gives the slot back
        port.inFlight.decrementAndGet();
        port.state.callFinished();
        port.done(address);
      }
    }
  }

  /** Why a datagram is not run before its address is looked at, or null to run it. */
  private static String refusal(UdpEndpoint port, DatagramPacket packet) {
    if (port.state.draining() || packet.content().readableBytes() > port.maxDatagramBytes
        || port.inFlight.get() >= port.maxConcurrentCalls) {
      return "draining, too large, or too many calls in flight";
    }
    if (packet.sender().getPort() == 0) {
      // Only a raw socket sends from port 0 (a forged source, say), and no reply can reach it:
      // the kernel refuses to send there. Run, the call did its work for nobody, and the failed
      // reply was a WARN naming no peer that kept the socket's real errors out of the log for
      // its interval. DNS servers drop such queries too.
      return "no reply can reach port 0";
    }
    if (forgedMappedSource(packet, port.ipv4DestinationsReported)) {
      return "an IPv4-mapped source in an IPv6 datagram is forged";
    }
    return null;
  }

  private static void drop(UdpEndpoint port, DatagramPacket packet, String why) {
    port.dropped.increment();
    LOG.debug("dropping a datagram of {} bytes to {} from {}: {}", packet.content().readableBytes(),
        packet.recipient(), packet.sender(), why);
    packet.release();
  }

  /**
   * True if the datagram claims an IPv4 source (the JDK reports an IPv4-mapped IPv6 source,
   * {@code ::ffff:a.b.c.d}, as that IPv4 address) but came as IPv6: to a socket bound to an IPv6
   * address, which no IPv4 datagram reaches, or, when {@code ipv4DestinationsReported}, to the
   * wildcard socket with no IPv4 destination of its own. An IPv4-mapped source is one RFC 4291
   * §2.5.5.2 keeps off the wire and only a forger sends; Linux delivers it from another host all
   * the same, and claiming {@code ::ffff:127.0.0.1} it passed for a caller on this machine's
   * loopback (the directory took its SET, as only local callers' are). Without destinations (the
   * NIO transport) a wildcard socket's datagrams cannot be told apart, and are let through.
   */
  static boolean forgedMappedSource(DatagramPacket packet, boolean ipv4DestinationsReported) {
    InetSocketAddress to = packet.recipient();
    return to != null && to.getAddress() instanceof Inet6Address local
        && (ipv4DestinationsReported || !local.isAnyLocalAddress())
        && packet.sender().getAddress() instanceof Inet4Address;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    endpoint.socketErrors.warn(LOG, "UDP socket error: {}", cause.toString());
  }

  /** The reply path to one datagram's sender. */
  private final class Reply implements ReplySink {
    private final Channel channel;
    private final InetSocketAddress sender;
    private final Object address;

    Reply(Channel channel, InetSocketAddress sender, Object address) {
      this.channel = channel;
      this.sender = sender;
      this.address = address;
    }

    @Override
    public ByteBuf newReply() {
      return channel.alloc().ioBuffer();
    }

    @Override
    public void send(ByteBuf reply) {
      int max = endpoint.maxDatagramBytes;
      if (reply.readableBytes() > max) {
        endpoint.oversized.warn(LOG, "reply of {} bytes to {} is over the maximum datagram of {}: sending SYSTEM_ERR",
            reply.readableBytes(), sender, max);
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
      endpoint.inFlight.decrementAndGet();
      endpoint.state.callFinished();
      endpoint.done(address);
    }

    @Override
    public Object client() {
      return address;
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
