package org.onyxrpc.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;

/**
 * One buffer that an event-loop connection appends its outgoing records to while it reads, and
 * writes as one message when the read ends: many replies (or calls) share one buffer, one
 * outbound entry and one write(2). The buffer is kept for the next read once the channel has
 * released it (written, or failed), so that steady traffic allocates no buffer per message, and
 * Netty's leak detector, which samples one allocation in 128 and records a stack trace for it,
 * does not tax a message in 128 with that cost.
 *
 * <p>Event loop only. Whoever appends to the buffer owns what it writes there: a record that
 * cannot be finished is cut off ({@link #cut}) before anything else is appended.
 */
public final class WriteBatch {
  /** Room for a few dozen small replies before the buffer grows. */
  private static final int INITIAL_BYTES = 1024;
  /** A buffer grown past this (a large message went out) is not kept between reads. */
  private static final int KEEP_MAX_BYTES = 64 << 10;

  private ByteBuf buf; // one reference ours, while not null
  private boolean pending; // buf holds bytes not yet handed to the channel

  /** An empty batch: its buffer is allocated by the first {@link #buffer} call. */
  public WriteBatch() {}

  /** The buffer to append records to, at its writer index. */
  public ByteBuf buffer(ByteBufAllocator alloc) {
    if (!pending) {
      if (buf != null && buf.refCnt() == 1) {
        buf.clear(); // the channel is done with it
      } else {
        release(); // still queued in the channel: it releases its own reference when written
        buf = alloc.ioBuffer(INITIAL_BYTES);
      }
      pending = true;
    }
    return buf;
  }

  /** How many bytes wait to be written. */
  public int pendingBytes() {
    return pending ? buf.readableBytes() : 0;
  }

  /** Whether {@code message} is this batch's buffer, records pending in it. */
  public boolean holds(ByteBuf message) {
    return pending && message == buf;
  }

  /** Whether the pending records are as many bytes as a batch should hold: time to write them. */
  public boolean full() {
    return pendingBytes() >= KEEP_MAX_BYTES;
  }

  /** Drops what was appended after {@code writerIndex}: a record that could not be finished. */
  public void cut(int writerIndex) {
    buf.writerIndex(writerIndex);
  }

  /**
   * The records to write, as one buffer the channel may release; null when there are none. Until
   * the next {@link #buffer}, nothing is appended.
   */
  private ByteBuf take() {
    if (!pending) {
      return null;
    }
    pending = false;
    if (!buf.isReadable()) {
      return null;
    }
    if (buf.capacity() > KEEP_MAX_BYTES) {
      ByteBuf whole = buf;
      buf = null;
      return whole;
    }
    return buf.retain();
  }

  /**
   * On {@code channel}'s event loop: writes the pending records (not flushed); false if there
   * were none.
   */
  public boolean writeTo(Channel channel) {
    return writeTo(channel, channel.voidPromise());
  }

  /** As {@link #writeTo(Channel)}, with {@code promise} (one its writer reuses, say). */
  public boolean writeTo(Channel channel, ChannelPromise promise) {
    ByteBuf records = take();
    if (records == null) {
      return false;
    }
    channel.write(records, promise);
    return true;
  }

  /**
   * The buffer was taken over by another that holds its bytes (a gathering writer's composite),
   * which its owner writes instead: the batch starts again with a new buffer.
   */
  public void handedOver() {
    buf = null;
    pending = false;
  }

  /** Frees the buffer and what waits in it: the connection is closed. */
  public void release() {
    if (buf != null) {
      buf.release();
      buf = null;
    }
    pending = false;
  }
}
