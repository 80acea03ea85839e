package org.onyxrpc.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Reads placed at a page's start, and kept there as a buffer's bytes move. */
class PageAlignedReadsTest {
  private static final int PAGE = PageAlignedReads.PAGE_BYTES;

  @Test
  void aBufferMadeForReadsBeginsAtAPageStartWithTheRoomAsked() {
    ByteBuf buffer = PageAlignedReads.directBuffer(UnpooledByteBufAllocator.DEFAULT, 300_000);
    try {
      assertAtAPageStart(buffer, buffer.writerIndex());
      assertEquals(0, buffer.readableBytes());
      assertEquals(true, buffer.writableBytes() >= 300_000, buffer.writableBytes() + " writable");
    } finally {
      buffer.release();
    }
  }

  @Test
  void aSliceHasExactlyTheBytesAskedFromAPageStart() {
    ByteBuf slice = PageAlignedReads.slice(PooledByteBufAllocator.DEFAULT, 65_536);
    try {
      assertAtAPageStart(slice, 0);
      assertEquals(65_536, slice.writableBytes()); // a read sized for a fragment takes no more
    } finally {
      slice.release();
    }
  }

  @Test
  void compactingMovesTheUnreadBytesToThePageStart() {
    ByteBuf buffer = PageAlignedReads.directBuffer(UnpooledByteBufAllocator.DEFAULT, 4 * PAGE);
    try {
      for (int i = 0; i < 3 * PAGE; i++) {
        buffer.writeByte(i);
      }
      buffer.skipBytes(2 * PAGE + 5);

      PageAlignedReads.compact(buffer);

      assertAtAPageStart(buffer, buffer.readerIndex());
      assertEquals(PAGE - 5, buffer.readableBytes());
      assertEquals((byte) (2 * PAGE + 5), buffer.getByte(buffer.readerIndex()));
      assertEquals((byte) (3 * PAGE - 1), buffer.getByte(buffer.writerIndex() - 1));
    } finally {
      buffer.release();
    }
  }

  @Test
  void discardingSomeOfAnEmptyBufferGoesBackToThePageStart() {
    ByteBuf buffer = PageAlignedReads.directBuffer(UnpooledByteBufAllocator.DEFAULT, 4 * PAGE);
    try {
      buffer.writeZero(100).skipBytes(100);

      PageAlignedReads.discardSome(buffer);

      assertAtAPageStart(buffer, buffer.writerIndex());
      assertEquals(0, buffer.readableBytes());
    } finally {
      buffer.release();
    }
  }

  private static void assertAtAPageStart(ByteBuf buffer, int index) {
    assertEquals(0, (buffer.memoryAddress() + index) & (PAGE - 1), "index " + index);
  }
}
