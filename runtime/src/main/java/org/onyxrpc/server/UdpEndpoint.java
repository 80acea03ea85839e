package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.transport.ClientAddress;
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
 *
 * <p>Senders are counted by their {@code ClientAddress} (any port: a host can send from as many
 * as it likes): the calls of one address take at most half of UDP's calls in flight, and wait in
 * that address's own lane of the {@link FairScheduler}, as a TCP connection's do. A host that
 * floods valid calls, slow ones or fast ones, delays its own calls, not other hosts'.
 */
final class UdpEndpoint extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger LOG = LoggerFactory.getLogger(UdpEndpoint.class);

  private final CallProcessor processor;
  private final ServerState state;
  private final int maxDatagramBytes;
  private final int maxConcurrentCalls;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final int maxCallsPerAddress;
  private final Map<Object, Sender> senders = new ConcurrentHashMap<>();
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
    this.maxCallsPerAddress = Math.max(1, maxConcurrentCalls / 2);
  }

  /**
   * The calls in flight from one client address, and the lane they run in; forgotten (its lane
   * closed) when none is left. Changed only in the map's compute, for its key.
   */
  private final class Sender {
    final FairScheduler.Lane lane;
    int inFlight;

    Sender(Object address) {
      this.lane = processor.newLane(address);
    }
  }

  /** One more call from {@code address}, or null if it has its share in flight already. */
  private Sender admit(Object address) {
    Sender[] admitted = new Sender[1];
    senders.compute(address, (k, sender) -> {
      Sender counted = sender == null ? new Sender(k) : sender;
      if (counted.inFlight < maxCallsPerAddress) {
        counted.inFlight++;
        admitted[0] = counted;
      }
      return counted;
    });
    return admitted[0];
  }

  /** A call from {@code address} is done. */
  private void done(Object address) {
    senders.computeIfPresent(address, (k, sender) -> {
      if (--sender.inFlight > 0) {
        return sender;
      }
      if (sender.lane != null) {
        sender.lane.close();
      }
      return null;
    });
  }

  /** Client addresses with UDP calls in flight (for tests). */
  int senders() {
    return senders.size();
  }

  /** UDP calls in flight from one client address (for tests). */
  int callsInFlight(Object address) {
    int[] calls = new int[1];
    senders.computeIfPresent(address, (k, sender) -> {
      calls[0] = sender.inFlight; // read where it is changed, under the map's lock for the key
      return sender;
    });
    return calls[0];
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
    Object address = ClientAddress.of(packet.sender());
    Sender sender = address == null ? null : admit(address);
    if (sender == null) {
      dropped.increment();
      LOG.debug("dropping a datagram from {}: its address has {} calls in flight", packet.sender(),
          maxCallsPerAddress);
      packet.release();
      return;
    }
    inFlight.incrementAndGet();
    state.callStarted();
    boolean handedOver = false;
    try {
      handedOver = processor.process(content, new Reply(ctx.channel(), packet.sender(), address),
          sender.lane);
    } finally {
      if (!handedOver) { // otherwise callDone() gives the slot back
        inFlight.decrementAndGet();
        state.callFinished();
        done(address);
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
      done(address);
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
