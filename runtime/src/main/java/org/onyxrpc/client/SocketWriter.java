package org.onyxrpc.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Writes whole messages to a non-blocking socket, one writer at a time. A writer that finds the
 * socket full waits for it, but never past its own call's deadline: a write cut short leaves
 * the stream mid-record, so the caller then gives the connection up.
 */
final class SocketWriter implements AutoCloseable {
  private static final Consumer<SelectionKey> READY = key -> {};

  private final SocketChannel channel;
  private final Selector writable;
  private final ReentrantLock lock = new ReentrantLock();

  SocketWriter(SocketChannel channel) throws IOException {
    this.channel = channel;
    this.writable = Selector.open();
    channel.register(writable, SelectionKey.OP_WRITE);
  }

  /** Writes all of {@code bytes}, waiting for the socket until {@code deadlineNanos} at most. */
  void write(ByteBuffer bytes, long deadlineNanos) throws IOException {
    lock.lock();
    try {
      while (bytes.hasRemaining()) {
        if (channel.write(bytes) == 0) {
          awaitWritable(deadlineNanos);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Writes all of {@code batch} with gathering writes. */
  void write(ByteBuffer[] batch, long deadlineNanos) throws IOException {
    lock.lock();
    try {
      while (batch[batch.length - 1].hasRemaining()) {
        if (channel.write(batch) == 0) {
          awaitWritable(deadlineNanos);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void awaitWritable(long deadlineNanos) throws IOException {
    while (true) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        throw new IOException("the server took no bytes until the call's deadline");
      }
      if (writable.select(READY, millis(left)) > 0) {
        return;
      }
    }
  }

  static long millis(long nanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
  }

  @Override
  public void close() throws IOException {
    writable.close();
  }
}
