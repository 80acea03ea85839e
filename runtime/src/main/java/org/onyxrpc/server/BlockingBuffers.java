package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The buffers of one {@link BlockingTcpConnection}'s thread: the one it reads into and a spare
 * one for its replies, each used again from call to call once nobody else holds it. A small call
 * read whole and answered on the thread then costs no allocation, no release to the pool and no
 * leak detector's sample (a stack trace taken for one buffer in 128 by default, a tail of its
 * own that the JVM's blocking floor does not have). A buffer grown past its first size goes back
 * to the pool once empty, so that a quiet connection holds no more than one read's room and one
 * small reply. Used by the connection's thread alone.
 */
final class BlockingBuffers {
  /** The least room a read is given: a call and its record mark, most often. */
  static final int READ_BYTES = 16 * 1024;

  private final ByteBufAllocator alloc;
  private final SpareBuffer spareReply;
  // Buffers taken from the allocator, for reads and replies (for tests): written by the thread.
  private volatile long allocations;

  BlockingBuffers(ByteBufAllocator alloc) {
    this.alloc = alloc;
    this.spareReply = new SpareBuffer(alloc, SpareBuffer.REPLY_BYTES, SpareBuffer.KEPT_REPLY_BYTES);
  }

  /**
   * Gives the next read room in a buffer nobody else holds, returned in place of {@code
   * cumulation} (null at first): when all was taken, the same buffer again if no record holds a
   * slice of it and it was not grown, else a fresh one; else the one holding the part of a record
   * the reader waits for, grown if need be (the assembler has checked that part's header against
   * the limits), copied out first if a record still holds slices of it.
   */
  ByteBuf readRoom(ByteBuf cumulation) {
    if (cumulation != null && !cumulation.isReadable()) {
      if (cumulation.refCnt() == 1 && cumulation.capacity() <= READ_BYTES) {
        return cumulation.clear(); // a call read whole and handed on, its slice released
      }
      cumulation.release();
      cumulation = null;
    }
    if (cumulation == null) {
      return allocate(READ_BYTES);
    }
    if (cumulation.refCnt() > 1) {
      ByteBuf rest = allocate(cumulation.readableBytes() + READ_BYTES);
      rest.writeBytes(cumulation);
      cumulation.release();
      cumulation = rest;
    } else {
      cumulation.discardSomeReadBytes();
    }
    cumulation.ensureWritable(READ_BYTES);
    return cumulation;
  }

  /**
   * A buffer for a reply made on the thread: the spare once every reply made in it before was
   * written or dropped (its one reference left, the spare's), else a new one. The reply's owner
   * releases it as any other.
   */
  ByteBuf reply() {
    ByteBuf spare = spareReply.take(0); // a writer thread's release is seen here
    if (spare != null) {
      return spare;
    }
    allocations++;
    return alloc.ioBuffer();
  }

  private ByteBuf allocate(int capacity) {
    allocations++;
    return alloc.ioBuffer(capacity);
  }

  /** Buffers taken from the allocator so far. */
  long allocations() {
    return allocations;
  }

  /** The thread ends: the spare given back (a reply still being written holds its own). */
  void release() {
    spareReply.release();
  }
}
