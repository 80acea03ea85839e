package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One buffer a dedicated UDP socket's thread lends to a call again and again, instead of taking
 * one from the allocator and giving it back for every datagram. The socket keeps one reference;
 * a call gets another, and gives it back by releasing it as it would any buffer. The buffer is
 * lent again only when the socket's reference is the only one left: a call that kept a slice of
 * it (an argument decoded as a retained slice, an asynchronous reply on its way) keeps it to
 * itself, and the calls meanwhile take buffers from the allocator as before. So nothing a call
 * holds is ever written over, and what a kept buffer pins is no more than the one buffer.
 *
 * <p>Taken on the socket's thread alone; the last release of a lent reference may come from any
 * thread (its reference count is atomic). Made on first use, so that a socket costs no buffer
 * until a datagram comes, and an allocation that fails costs that datagram alone.
 */
final class SpareBuffer {
  /** The copy of a datagram this large or smaller goes in the spare: a small call's. */
  static final int COPY_BYTES = 2048;
  /** A reply's first capacity, as the allocator's {@code ioBuffer()}'s. */
  static final int REPLY_BYTES = 256;

  private final ByteBufAllocator alloc;
  private final int capacity;
  private ByteBuf buffer; // the socket's own reference; null until first taken, or once released

  SpareBuffer(ByteBufAllocator alloc, int capacity) {
    this.alloc = alloc;
    this.capacity = capacity;
  }

  /**
   * The buffer, emptied, with a reference of the caller's to release; or null if {@code bytes}
   * would not fit in its capacity or a call still holds it. A reply grows it as any buffer grows;
   * it is brought back to its capacity the next time it is taken, so that one large reply does
   * not stay pinned for as long as the socket lives.
   */
  ByteBuf take(int bytes) {
    if (bytes > capacity) {
      return null;
    }
    if (buffer == null) {
      buffer = alloc.directBuffer(capacity);
    } else if (buffer.refCnt() != 1) {
      return null;
    } else if (buffer.capacity() > capacity) {
      buffer.clear().capacity(capacity);
    }
    return buffer.clear().retain();
  }

  /** Gives up the socket's reference, when its thread ends; a call may still hold the buffer. */
  void release() {
    if (buffer != null) {
      buffer.release();
      buffer = null;
    }
  }
}
