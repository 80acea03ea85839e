package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.transport.PageAlignedReads;
import org.onyxrpc.internal.transport.RecordMarking;

/**
 * A dedicated TCP thread reads a large record into a buffer from a page's start ({@link
 * PageAlignedReads}), in the buffer it grows into and in the one it keeps for the next: 16 bytes
 * past a page's start, where the pool's large buffers began, the kernel copied a 1 MiB call about
 * six times slower on AMD machines.
 */
class BlockingBuffersPageStartTest {
  private static final int LARGE = 1 << 20;

  private final ByteBudget budget = new ByteBudget(8L << 20);
  private final BlockingBuffers buffers =
      new BlockingBuffers(PooledByteBufAllocator.DEFAULT, budget);
  private ByteBuf cumulation;

  @AfterEach
  void release() {
    if (cumulation != null) {
      cumulation.release();
    }
    buffers.release();
    assertEquals(0, budget.held(), "the budget given back");
  }

  @Test
  void aLargeRecordIsReadFromAPageStartAndSoIsTheNext() {
    ByteBuf grown = beginLargeRecord();
    assertRecordAtAPageStart(grown);

    grown.skipBytes(grown.readableBytes()); // the record read whole and handed on
    cumulation = buffers.readRoom(grown); // the grown buffer kept, the usual one read into
    ByteBuf next = beginLargeRecord();

    assertSame(grown, next, "the kept buffer read into again");
    assertRecordAtAPageStart(next);
  }

  /** The first usual read of a large record, and the room made for the rest of it. */
  private ByteBuf beginLargeRecord() {
    cumulation = buffers.readRoom(cumulation);
    cumulation.writeInt(RecordMarking.LAST_FRAGMENT | LARGE);
    cumulation.writeZero(cumulation.writableBytes());
    cumulation = buffers.readRoom(cumulation);
    buffers.settle();
    return cumulation;
  }

  private static void assertRecordAtAPageStart(ByteBuf in) {
    assertEquals(0, (in.memoryAddress() + in.readerIndex()) & (PageAlignedReads.PAGE_BYTES - 1),
        "the record begins at index " + in.readerIndex());
  }
}
