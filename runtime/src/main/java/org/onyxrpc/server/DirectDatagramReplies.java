package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends the UDP replies that procedures make on the server's executor straight to the socket
 * from the thread that made them. Handed to the event loop instead, each reply would wake the
 * loop (asleep in epoll_wait by then) only to make the one sendto(2) the worker can make itself:
 * a thread wake-up per call, paid or not depending on whether the loop had gone to sleep yet.
 *
 * <p>Only on a native (epoll) socket, which any thread may write: a datagram goes out whole or
 * not at all. Elsewhere (NIO), from the event loop itself, or when the socket's send buffer is
 * full, the reply goes through the channel as before. The socket is closed through the pipeline,
 * and this handler holds the close until no direct send is under way, so that no reply is ever
 * written to a descriptor number the system has since given to another file.
 */
final class DirectDatagramReplies extends ChannelOutboundHandlerAdapter {
  private final AtomicInteger sending = new AtomicInteger();
  private volatile boolean closing;
  private volatile Socket socket; // null: not a native socket
  /** Replies sent directly (for tests and stats). */
  final LongAdder sent = new LongAdder();

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel() instanceof UnixChannel unix && unix.fd() instanceof Socket fd) {
      socket = fd;
    }
  }

  /**
   * Sends {@code reply} to {@code to} now, on this thread; false if it was not sent (the caller
   * then writes it through the channel). Does not release it.
   */
  boolean trySend(ByteBuf reply, InetSocketAddress to) {
    Socket s = socket;
    if (s == null || !reply.isDirect()) {
      return false;
    }
    sending.incrementAndGet();
    sent.increment(); // before the datagram leaves, so whoever receives it sees it counted
    boolean done = false;
    try {
      if (closing) {
        return false;
      }
      int length = reply.readableBytes();
      int n;
      if (reply.hasMemoryAddress()) {
        n = s.sendToAddress(reply.memoryAddress(), reply.readerIndex(), reply.writerIndex(),
            to.getAddress(), to.getPort());
      } else {
        ByteBuffer nio = reply.nioBuffer();
        n = s.sendTo(nio, nio.position(), nio.limit(), to.getAddress(), to.getPort());
      }
      done = n == length; // 0: the send buffer is full, and the channel waits for room
      return done;
    } catch (IOException e) {
      return false; // nothing was sent; the channel's write meets the error and reports it
    } finally {
      if (!done) {
        sent.decrement();
      }
      sending.decrementAndGet();
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
    closing = true;
    while (sending.get() != 0) {
      Thread.onSpinWait(); // one sendto(2) at most
    }
    ctx.close(promise);
  }
}
