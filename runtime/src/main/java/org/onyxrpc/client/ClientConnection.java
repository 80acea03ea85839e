package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.locks.LockSupport;
import org.onyxrpc.rpc.RpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection whose I/O runs on a Netty event loop ({@link IoStrategy#EVENT_LOOP}, and every
 * UDP client): the loop is the client's {@link CallOwner}, so calls are encoded and written, and
 * replies decoded and matched to calls by xid in the client's {@link OutstandingCalls}, all on
 * the loop, with no queue of its own between threads.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements Connection {
  private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

  private final ConnectionSetup setup;
  private volatile Channel channel;
  // Event loop only: calls written one after another, or while replies are being read, are
  // flushed once, when the loop has run the tasks that wrote them or the read ends: under load
  // many calls share a syscall instead of one write(2) each.
  private boolean reading;
  private boolean flushPending;
  private final Runnable flush = this::flushNow;

  ClientConnection(ConnectionSetup setup) {
    this.setup = setup;
  }

  @Override
  public boolean isActive() {
    Channel c = channel;
    return c != null && c.isActive();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  /** Parks: the event loop completes the call, which unparks its waiter. */
  @Override
  public void await(PendingCall<?, ?> call, long deadlineNanos) {
    LockSupport.parkNanos(call, deadlineNanos - System.nanoTime());
  }

  @Override
  public boolean transmit(PendingCall<?, ?> call) {
    Channel c = channel;
    if (c == null || !c.isActive()) {
      return false;
    }
    ByteBuf message = CallWriter.encode(setup, call, c.alloc());
    if (message == null) {
      return true;
    }
    long queued = queuedBytes(c);
    if (!setup.mayQueue(queued, message.readableBytes())) {
      setup.refuse(call, message, queued); // bounded: a server that stops reading costs no more
      return true;
    }
    call.wentOutOn(this);
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

  /** Bytes written and not yet taken by the socket. */
  private static long queuedBytes(Channel c) {
    io.netty.channel.ChannelOutboundBuffer buffer = c.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  private void write(Channel c, ByteBuf message) {
    if (!c.eventLoop().inEventLoop()) {
      c.writeAndFlush(message, c.voidPromise()); // not the owner's loop: Netty hands it over
      return;
    }
    c.write(message, c.voidPromise());
    if (!flushPending) {
      flushPending = true;
      if (!reading) {
        c.eventLoop().execute(flush);
      }
    }
  }

  private void flushNow() {
    flushPending = false;
    channel.flush();
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
    try {
      ReplyReader.dispatch(setup, msg instanceof DatagramPacket packet ? packet.content() : (ByteBuf) msg);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    setup.onLost().accept(this);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("closing the connection to {}: {}", setup.peer(), cause.getMessage());
    ctx.close();
  }

  @Override
  public void close() {
    Channel c = channel;
    if (c != null) {
      c.close();
    }
  }
}
