package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One buffer a dedicated thread (a UDP socket's, a TCP connection's) lends to a call again and
 * again, instead of taking one from the allocator and giving it back for every call. The owner
 * keeps one reference; a call gets another, and gives it back by releasing it as it would any
 * buffer. The buffer is lent again only when the owner's reference is the only one left: a call
 * that kept a slice of it (an argument decoded as a retained slice, an asynchronous reply on its
 * way) keeps it to itself, and the calls meanwhile take buffers from the allocator as before. So
 * nothing a call holds is ever written over, and what a kept buffer pins is no more than the one
 * buffer.
 *
 * <p>Taken on its owner's thread alone; the last release of a lent reference may come from any
 * thread (its reference count is atomic). Made on first use, so that an owner costs no buffer
 * until a call comes, and an allocation that fails costs that call alone.
 */
final class SpareBuffer {
  /** The copy of a datagram this large or smaller goes in the spare: a small call's. */
  static final int COPY_BYTES = 2048;
  /** A reply's first capacity, as the allocator's {@code ioBuffer()}'s. */
  static final int REPLY_BYTES = 256;
  /** The most a spare reply buffer keeps between calls: a reply of a few KiB grows it once. */
  static final int KEPT_REPLY_BYTES = 16 * 1024;

  private final ByteBufAllocator alloc;
  private final int capacity;
  private final int kept;
  private ByteBuf buffer; // the owner's own reference; null until first taken, or once released

  /**
   * A spare of {@code capacity} bytes at first, never lent for more ({@link #take}); grown by a
   * use past {@code kept} bytes, it is brought back to {@code capacity}.
   */
  SpareBuffer(ByteBufAllocator alloc, int capacity, int kept) {
    this.alloc = alloc;
    this.capacity = capacity;
    this.kept = Math.max(capacity, kept);
  }

  /**
   * The buffer, emptied, with a reference of the caller's to release; or null if {@code bytes}
   * would not fit in its first capacity or a use still holds it. A reply grows it as any buffer
   * grows; it keeps that room for the next use up to {@code kept} bytes (a reply of 1 KiB
   * would otherwise shrink and grow it again every call), and past that is brought back to its
   * first capacity the next time it is taken, or let go by {@link #trim} before its owner waits,
   * so that one large reply does not stay pinned for as long as its owner lives.
   */
  ByteBuf take(int bytes) {
    if (bytes > capacity) {
      return null;
    }
    if (buffer == null) {
      buffer = alloc.directBuffer(capacity);
    } else if (buffer.refCnt() != 1) {
      return null;
    } else if (buffer.capacity() > kept) {
      buffer.clear().capacity(capacity);
    }
    return buffer.clear().retain();
  }

  /**
   * Lets the buffer go if a use grew it past {@code kept} bytes, so that an owner that waits next
   * (a connection's thread before its next read, which a quiet peer may leave it in for good)
   * does not keep a large reply's room, charged to no budget; the next use takes a new one. A
   * use still holding it frees it with its own release.
   */
  void trim() {
    ByteBuf held = buffer;
    if (held != null && held.capacity() > kept) {
      buffer = null;
      held.release();
    }
  }

  /** Gives up the owner's reference, when its thread ends; a use may still hold the buffer. */
  void release() {
    if (buffer != null) {
      buffer.release();
      buffer = null;
    }
  }
}
