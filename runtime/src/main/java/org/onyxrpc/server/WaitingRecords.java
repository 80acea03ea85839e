package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;

/**
 * The records a connection has read beyond its call limit, or while its peer leaves its replies
 * untaken, in the order they came, until a call slot frees and the peer takes them. The first {@value #MAX_SLICES} are kept as they were decoded (slices of the buffers
 * they were read into); later ones are copied into one buffer, each behind its length, so that a
 * peer packing a read with tiny records makes the connection hold about the bytes it sent, not
 * an object per record. (An empty record is 4 bytes on the wire: a 1 MiB read of them was a
 * quarter of a million slices, some 10 MB of heap that no budget counted.) Each record is
 * charged its bytes and its record mark ({@link #bytes}). Touched on the connection's event loop
 * only.
 */
final class WaitingRecords {
  /** Records kept as they were decoded before the next ones are copied together. */
  static final int MAX_SLICES = 64;
  /** What a record costs besides its bytes: its mark on the wire, its length here once copied. */
  static final int MARK_BYTES = 4;

  private final ArrayDeque<ByteBuf> slices = new ArrayDeque<>();
  private ByteBuf packed; // records after the slices, each behind its length; null when none
  private int count;
  private long bytes;

  /** Keeps {@code record} (this takes its reference) behind the others. */
  void add(ByteBuf record, ByteBufAllocator alloc) {
    count++;
    bytes += MARK_BYTES + record.readableBytes();
    if (packed == null && slices.size() < MAX_SLICES) {
      slices.add(record);
      return;
    }
    try {
      if (packed == null) {
        packed = alloc.buffer(MARK_BYTES + record.readableBytes());
      }
      packed.writeInt(record.readableBytes()).writeBytes(record);
    } finally {
      record.release();
    }
  }

  /** The record that came first, its reference the caller's; null when none waits. */
  ByteBuf poll() {
    ByteBuf next = slices.poll();
    if (next == null && packed != null) {
      next = packed.readRetainedSlice(packed.readInt());
      if (!packed.isReadable()) {
        packed.release();
        packed = null;
      }
    }
    if (next != null) {
      count--;
      bytes -= MARK_BYTES + next.readableBytes();
    }
    return next;
  }

  /** How many records wait. */
  int size() {
    return count;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** What the waiting records are charged: their bytes and a record mark each. */
  long bytes() {
    return bytes;
  }

  /** Records kept as decoded (the rest are copied together): for tests. */
  int slicesHeld() {
    return slices.size();
  }

  /** Releases every waiting record. */
  void releaseAll() {
    ByteBuf record;
    while ((record = slices.poll()) != null) {
      record.release();
    }
    if (packed != null) {
      packed.release();
      packed = null;
    }
    count = 0;
    bytes = 0;
  }
}
