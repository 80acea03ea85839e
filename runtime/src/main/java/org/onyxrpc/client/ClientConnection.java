package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.CallTag;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.ReplyTag;
import org.onyxrpc.rpc.RpcMessages;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.RecordMarking;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection (TCP) or connected socket (UDP) to a server. Calls are encoded by the thread
 * that transmits them straight into one pooled buffer; replies are decoded on the I/O thread and
 * matched to calls by xid in the client's {@link OutstandingCalls}.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

  /** What a connection needs of its client. */
  record Setup(Transport transport, String peer, OutstandingCalls calls, OpaqueAuth credential,
      long clientHigh, long clientLow, int maxMessageBytes, Consumer<ClientConnection> onLost) {}

  private final Setup setup;
  private volatile Channel channel;
  // Calls written from other threads wait here for one task that writes them all and flushes
  // once: under load many calls share a syscall instead of one write(2) each.
  private final Queue<ByteBuf> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;
  // Event loop only: calls written while replies are being read are flushed when the read ends.
  private boolean reading;
  private boolean flushPending;

  ClientConnection(Setup setup) {
    this.setup = setup;
  }

  boolean isActive() {
    Channel c = channel;
    return c != null && c.isActive();
  }

  Channel channel() {
    return channel;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  /**
   * Encodes and writes one transmission of {@code call}. Returns false, having written nothing,
   * if the connection is closed; a call that cannot be encoded is failed and removed.
   */
  <A, R> boolean transmit(PendingCall<A, R> call) {
    Channel c = channel;
    if (c == null || !c.isActive()) {
      return false;
    }
    ByteBuf message = c.alloc().ioBuffer();
    try {
      int mark = setup.transport() == Transport.TCP ? RecordMarking.begin(message) : -1;
      XdrWriter out = new XdrWriter(message);
      RpcMessages.writeCallUpToVerifier(out, call.xid, call.procedure, setup.credential());
      if (call.tagged) {
        CallTag.writeVerifier(out, setup.clientHigh(), setup.clientLow(),
            call.semantics == CallSemantics.AT_MOST_ONCE, call.attempt, call.epochAtFirstSend);
      } else {
        OpaqueAuth.NONE.encode(out);
      }
      call.procedure.arguments().encode(out, call.args);
      if (mark >= 0) {
        RecordMarking.end(message, mark);
      }
    } catch (RuntimeException e) {
      message.release();
      call.forget();
      call.fail(RpcStatus.INTERNAL, "cannot encode the arguments of "
          + call.procedure.describe() + ": " + e.getMessage(), e);
      return true;
    }
    if (message.readableBytes() > setup.maxMessageBytes()) {
      call.forget();
      call.fail(RpcStatus.RESOURCE_EXHAUSTED, call.procedure.describe() + " call of "
          + message.readableBytes() + " bytes exceeds the " + setup.transport() + " maximum of "
          + setup.maxMessageBytes(), null);
      message.release();
      return true;
    }
    call.connection = this;
    if (!call.expectReply) {
      c.writeAndFlush(message).addListener(f -> {
        if (f.isSuccess()) {
          call.complete(null);
        } else {
          call.fail(RpcStatus.UNAVAILABLE, "cannot send " + call.procedure.describe() + " to "
              + setup.peer(), f.cause());
        }
      });
    } else {
      write(c, message);
    }
    return true;
  }

  private void write(Channel c, ByteBuf message) {
    if (c.eventLoop().inEventLoop()) {
      c.write(message, c.voidPromise());
      if (!flushPending) {
        flushPending = true;
        if (!reading) {
          c.eventLoop().execute(this::flushNow);
        }
      }
      return;
    }
    outbound.add(message);
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        c.eventLoop().execute(drain);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        releaseOutbound(); // the event loop is gone, and the connection with it
      }
    }
  }

  private void drain() {
    drainScheduled.set(false);
    Channel c = channel;
    ByteBuf message;
    while ((message = outbound.poll()) != null) {
      c.write(message, c.voidPromise());
    }
    flushNow();
  }

  private void flushNow() {
    flushPending = false;
    channel.flush();
  }

  private void releaseOutbound() {
    ByteBuf message;
    while ((message = outbound.poll()) != null) {
      message.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    if (flushPending) {
      flushNow();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    ByteBuf message = msg instanceof DatagramPacket packet ? packet.content() : (ByteBuf) msg;
    try {
      XdrReader in = new XdrReader(message);
      int xid = in.readUnsignedInt();
      PendingCall<?, ?> call = setup.calls().take(xid);
      if (call == null) {
        setup.calls().counters.lateReplies.increment();
        LOG.debug("dropping a reply from {} with no call awaiting xid {}", setup.peer(),
            Integer.toHexString(xid));
        return;
      }
      ReplyHeader reply;
      try {
        if (in.readEnum() != RpcMessages.REPLY) {
          throw new XdrException("not a reply message");
        }
        reply = RpcMessages.readReplyBody(in, xid);
      } catch (XdrException e) {
        call.fail(RpcStatus.INTERNAL, "malformed reply from " + setup.peer() + " to "
            + call.procedure.describe() + ": " + e.getMessage(), e);
        return;
      }
      ReplyTag tag = ReplyTag.of(reply.verifier());
      boolean unknown = false;
      if (tag != null) {
        setup.calls().heard(tag);
        unknown = tag.outcomeUnknown() && reply.status() == RpcStatus.SYSTEM_ERR;
        if (unknown) {
          setup.calls().counters.outcomeUnknown.increment();
          LOG.info("{} to {}: outcome unknown after {} attempts", call.procedure.describe(),
              setup.peer(), call.attempt);
        }
      }
      call.complete(reply, in, unknown);
    } catch (XdrException e) {
      LOG.debug("dropping a malformed reply from {}: {}", setup.peer(), e.getMessage());
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseOutbound();
    setup.onLost().accept(this);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("closing the connection to {}: {}", setup.peer(), cause.getMessage());
    ctx.close();
  }

  void close() {
    Channel c = channel;
    if (c != null) {
      c.close();
    }
  }
}
