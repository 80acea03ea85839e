package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiConsumer;
import org.onyxrpc.internal.transport.ClientAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replies of a blocking UDP socket ({@link BlockingUdpSocket} with a direct executor) made on
 * a thread other than the socket's own: an asynchronous procedure's stage completed elsewhere, by
 * a server I/O thread say. Sent there, a reply meeting a full send buffer held that thread for as
 * long as the buffer stayed full. They wait here instead, at most as many as the port's calls in
 * flight and at most as many bytes as an event-loop socket's channel queues ({@link
 * UdpSocket#repliesWaterMark}, 64 MiB at most, each reply counted with {@link #ENTRY_BYTES} more
 * for its entry), those to one client address at most half of them (as its calls in flight are),
 * for a thread of this socket's own, started with the first, that sends them one
 * after another and alone waits for room; one more is dropped and counted, as a reply behind a
 * full event-loop socket is.
 */
final class OffThreadUdpReplies {
  private static final Logger LOG = LoggerFactory.getLogger(OffThreadUdpReplies.class);

  /** What a queued reply is counted for beyond its bytes: its entry, its address. */
  static final int ENTRY_BYTES = 64;

  /** A reply waiting, what it is counted for, and the client it is counted to (null: none). */
  private record Pending(ByteBuf reply, InetSocketAddress to, long bytes, Object client) {}

  private final UdpEndpoint endpoint;
  private final BiConsumer<ByteBuf, InetSocketAddress> send;
  private final BlockingQueue<Pending> queue;
  private final String name;
  private final long maxBytes;
  private final long maxBytesPerClient;
  /** Bytes of the queued replies and of the one being sent, entries included. */
  private long queuedBytes; // guarded by this
  /** The same by client address, those with replies here only. */
  private final Map<Object, Long> byClient = new HashMap<>(); // guarded by this
  private Thread thread; // guarded by this; null until the first reply
  private boolean closed; // guarded by this

  /** {@code send} sends a reply, waiting for room, and releases it. */
  OffThreadUdpReplies(UdpEndpoint endpoint, BiConsumer<ByteBuf, InetSocketAddress> send,
      String name) {
    this.endpoint = endpoint;
    this.send = send;
    this.queue = new ArrayBlockingQueue<>(Math.max(1, endpoint.maxConcurrentCalls));
    this.name = name;
    // The count alone let maxConcurrentCalls replies of the largest datagram wait: 4096 calls in
    // flight held 256 MiB where an event-loop socket holds 64 MiB at most.
    this.maxBytes = UdpSocket.repliesWaterMark(endpoint.maxConcurrentCalls,
        endpoint.maxDatagramBytes).high();
    // Else, past the 64 MiB, one address's replies (half the calls in flight) could take it all.
    this.maxBytesPerClient = maxBytes / 2;
  }

  /** Queues {@code reply} for the sending thread, or drops it (counted); takes it either way. */
  void send(ByteBuf reply, InetSocketAddress to) {
    long bytes = reply.readableBytes() + (long) ENTRY_BYTES;
    Object client = ClientAddress.of(to);
    boolean charged = charge(client, bytes);
    if (!charged || !started() || !queue.offer(new Pending(reply, to, bytes, client))) {
      if (charged) {
        uncharge(client, bytes);
      }
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

  /**
   * Counts {@code bytes} more to {@code client} (null: to no address) unless that would pass the
   * most the queue holds, or the client's half of it: true if counted.
   */
  private synchronized boolean charge(Object client, long bytes) {
    if (queuedBytes + bytes > maxBytes) {
      return false;
    }
    if (client != null) {
      long own = byClient.getOrDefault(client, 0L);
      if (own + bytes > maxBytesPerClient) {
        return false;
      }
      byClient.put(client, own + bytes);
    }
    queuedBytes += bytes;
    return true;
  }

  private synchronized void uncharge(Object client, long bytes) {
    queuedBytes -= bytes;
    if (client != null) {
      byClient.computeIfPresent(client, (k, own) -> own == bytes ? null : own - bytes);
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
        try {
          send.accept(next.reply(), next.to());
        } finally {
          uncharge(next.client(), next.bytes());
        }
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
      uncharge(left.client(), left.bytes());
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
