package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.transport.RecordMarking;

/**
 * The large buffer a dedicated TCP thread keeps between records ({@link BlockingBuffers}) is
 * read into only by a fragment of about its size. A fragment of a record not yet ended stays in
 * the buffer it was read into, held by a slice of the record's, and the connection charges the
 * budget for the fragment's bytes alone once it is read whole: a small fragment in a large kept
 * buffer would hold the buffer's whole capacity uncharged, and a peer with many connections
 * (each keeping a buffer while the budget has room, then sending one such fragment) would hold
 * many times the budget.
 */
class BlockingBuffersKeptRoomTest {
  private static final int KEPT = 1 << 20;
  private static final int FRAGMENT = 20 * 1024;

  private final ByteBudget budget = new ByteBudget(8L << 20);
  private final BlockingBuffers buffers =
      new BlockingBuffers(UnpooledByteBufAllocator.DEFAULT, budget);
  private ByteBuf cumulation;

  @AfterEach
  void release() {
    if (cumulation != null) {
      cumulation.release();
    }
    buffers.release();
    assertEquals(0, budget.held(), "the budget given back");
  }

  /** A buffer grown for a large record read whole and handed on: kept for the next one. */
  private void keepALargeBuffer() {
    ByteBuf grown = UnpooledByteBufAllocator.DEFAULT.directBuffer(KEPT, KEPT);
    grown.writerIndex(KEPT).readerIndex(KEPT); // all taken
    cumulation = buffers.readRoom(grown);
    assertEquals(KEPT, buffers.keptBytes());
  }

  @Test
  void aSmallFragmentIsNotReadIntoTheLargeKeptBuffer() {
    keepALargeBuffer();
    // A fragment of 20 KiB, not the record's last, begun in the usual room and filling it.
    cumulation.writeInt(FRAGMENT); // the last-fragment bit clear
    cumulation.writeZero(cumulation.writableBytes());
    cumulation = buffers.readRoom(cumulation);
    int fragment = RecordMarking.HEADER_BYTES + FRAGMENT;
    assertTrue(cumulation.capacity() <= 2 * fragment + BlockingBuffers.READ_BYTES,
        cumulation.capacity() + " bytes of room for a fragment of " + fragment);
    assertEquals(KEPT, buffers.keptBytes(), "kept for a record of its size");
  }

  @Test
  void aFragmentOfTheKeptBuffersSizeIsReadIntoIt() {
    keepALargeBuffer();
    cumulation.writeInt(RecordMarking.LAST_FRAGMENT | (KEPT - RecordMarking.HEADER_BYTES));
    cumulation.writeZero(cumulation.writableBytes());
    cumulation = buffers.readRoom(cumulation);
    assertEquals(KEPT, cumulation.capacity());
    assertEquals(0, buffers.keptBytes());
  }
}
