package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.onyxrpc.rpc.RpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection whose I/O runs on a Netty event loop ({@link IoStrategy#EVENT_LOOP}): calls are
 * encoded by the thread that transmits them, written by the event loop, and replies are decoded
 * on the event loop and matched to calls by xid in the client's {@link OutstandingCalls}.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements Connection {
  private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

  private final ConnectionSetup setup;
  private volatile Channel channel;
  // Calls written from other threads wait here for one task that writes them all and flushes
  // once: under load many calls share a syscall instead of one write(2) each.
  private final Queue<ByteBuf> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicLong outboundBytes = new AtomicLong();
  private final Runnable drain = this::drain;
  // Event loop only: calls written while replies are being read are flushed when the read ends.
  private boolean reading;
  private boolean flushPending;

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

  /** Bytes written by callers and not yet taken by the socket: in our queue, then in Netty's. */
  private long queuedBytes(Channel c) {
    io.netty.channel.ChannelOutboundBuffer buffer = c.unsafe().outboundBuffer();
    return outboundBytes.get() + (buffer == null ? 0 : buffer.totalPendingWriteBytes());
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
    outboundBytes.addAndGet(message.readableBytes());
    outbound.add(message);
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        c.eventLoop().execute(drain);
      } catch (RejectedExecutionException e) {
        releaseOutbound(); // the event loop is gone, and the connection with it
      }
    }
  }

  private void drain() {
    drainScheduled.set(false);
    Channel c = channel;
    ByteBuf message;
    while ((message = outbound.poll()) != null) {
      outboundBytes.addAndGet(-message.readableBytes());
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
      outboundBytes.addAndGet(-message.readableBytes());
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
    try {
      ReplyReader.dispatch(setup, msg instanceof DatagramPacket packet ? packet.content() : (ByteBuf) msg);
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

  @Override
  public void close() {
    Channel c = channel;
    if (c != null) {
      c.close();
    }
  }
}
