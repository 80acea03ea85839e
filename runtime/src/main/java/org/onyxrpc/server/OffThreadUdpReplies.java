package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replies of a blocking UDP socket ({@link BlockingUdpSocket} with a direct executor) made on
 * a thread other than the socket's own: an asynchronous procedure's stage completed elsewhere, by
 * a server I/O thread say. Sent there, a reply meeting a full send buffer held that thread for as
 * long as the buffer stayed full. They wait here instead, at most as many as the port's calls in
 * flight, for a thread of this socket's own, started with the first, that sends them one after
 * another and alone waits for room; one more is dropped and counted, as a reply behind a full
 * event-loop socket is.
 */
final class OffThreadUdpReplies {
  private static final Logger LOG = LoggerFactory.getLogger(OffThreadUdpReplies.class);

  private record Pending(ByteBuf reply, InetSocketAddress to) {}

  private final UdpEndpoint endpoint;
  private final BiConsumer<ByteBuf, InetSocketAddress> send;
  private final BlockingQueue<Pending> queue;
  private final String name;
  private Thread thread; // guarded by this; null until the first reply
  private boolean closed; // guarded by this

  /** {@code send} sends a reply, waiting for room, and releases it. */
  OffThreadUdpReplies(UdpEndpoint endpoint, BiConsumer<ByteBuf, InetSocketAddress> send,
      String name) {
    this.endpoint = endpoint;
    this.send = send;
    this.queue = new ArrayBlockingQueue<>(Math.max(1, endpoint.maxConcurrentCalls));
    this.name = name;
  }

  /** Queues {@code reply} for the sending thread, or drops it (counted); takes it either way. */
  void send(ByteBuf reply, InetSocketAddress to) {
    if (!started() || !queue.offer(new Pending(reply, to))) {
      endpoint.dropped.increment();
      endpoint.unsentReplies.warn(LOG, "UDP replies waiting for room in a full send buffer: "
          + "dropping a reply of {} bytes to {}", reply.readableBytes(), to);
      reply.release();
      return;
    }
    if (isClosed()) {
      releaseQueued(); // queued after the close's drain: nobody else would
    }
  }

  /** True once the sending thread runs, started now if need be; false once closed. */
  private synchronized boolean started() {
    if (closed) {
      return false;
    }
    if (thread == null) {
      thread = new Thread(this::sendUntilClosed, name);
      thread.setDaemon(true);
      thread.start();
    }
    return true;
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private void sendUntilClosed() {
    try {
      while (!isClosed()) {
        Pending next = queue.take();
        send.accept(next.reply(), next.to());
      }
    } catch (InterruptedException e) {
      // closed
    } finally {
      releaseQueued();
    }
  }

  private void releaseQueued() {
    Pending left;
    while ((left = queue.poll()) != null) {
      left.reply().release();
    }
  }

  /**
   * Ends the sending thread: interrupted, it leaves a send that waits for room (the socket, closed
   * first, fails it anyway); what is still queued is released.
   */
  void close() {
    Thread sender;
    synchronized (this) {
      closed = true;
      sender = thread;
    }
    if (sender != null) {
      sender.interrupt();
    }
    releaseQueued();
  }

  /** Waits until {@code deadline} ({@link System#nanoTime}) at most for the sending thread. */
  void awaitEnd(long deadline) {
    Thread sender;
    synchronized (this) {
      sender = thread;
    }
    if (sender != null) {
      DedicatedThreads.awaitEnd(sender, deadline);
    }
  }
}
