package org.onyxrpc.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Reads grow while they fill their buffers, up to the rest of the fragment begun; they shrink
 * when the peer trickles (before: every read was at most 64 KiB, seventeen for a 1 MiB record).
 */
class RecordReadSizingTest {
  private final AtomicInteger missing = new AtomicInteger();
  private final RecvByteBufAllocator.ExtendedHandle handle = new RecordReadSizing(missing::get).newHandle();

  RecordReadSizingTest() {
    handle.reset(new EmbeddedChannel().config());
  }

  private void read(int bytes) {
    handle.attemptedBytesRead(handle.guess());
    handle.lastBytesRead(bytes);
  }

  @Test
  void fullReadsDoubleTheNextUpToTheFragmentsRest() {
    missing.set(1 << 20);
    assertEquals(RecordReadSizing.MIN_READ, handle.guess());
    int size = RecordReadSizing.MIN_READ;
    while (size < RecordReadSizing.MAX_READ) {
      read(size);
      size <<= 1;
      assertEquals(size, handle.guess());
    }
    read(size);
    assertEquals(RecordReadSizing.MAX_READ, handle.guess(), "never beyond the largest read");
    missing.set(300_000);
    assertEquals(300_000, handle.guess(), "never beyond what the fragment still lacks");
    missing.set(10);
    assertEquals(RecordReadSizing.MIN_READ, handle.guess());
  }

  @Test
  void aLargeReadBeginsAtAPageStartWithExactlyItsSize() {
    missing.set(1 << 20);
    while (handle.guess() < RecordReadSizing.ALIGNED_READ) {
      read(handle.guess());
    }
    int size = handle.guess();
    ByteBuf buffer = handle.allocate(PooledByteBufAllocator.DEFAULT);
    try {
      // 16 bytes past a page's start, the kernel copied a large record about six times slower
      // on AMD machines (PageAlignedReads).
      assertEquals(0, (buffer.memoryAddress() + buffer.writerIndex())
          & (PageAlignedReads.PAGE_BYTES - 1), "reading begins at " + buffer.writerIndex());
      assertEquals(size, buffer.writableBytes(), "no more read than sized");
    } finally {
      buffer.release();
    }
  }

  @Test
  void aFullReadOfASmallRecordDoesNotGrowTheNext() {
    missing.set(100);
    read(100);
    missing.set(0);
    assertEquals(RecordReadSizing.MIN_READ, handle.guess());
  }

  @Test
  void sparseReadsHalveTheNext() {
    missing.set(16 << 20);
    for (int i = 0; i < 6; i++) {
      read(handle.guess());
    }
    assertEquals(RecordReadSizing.MIN_READ << 6, handle.guess());
    read(1); // a trickling peer
    assertEquals(RecordReadSizing.MIN_READ << 5, handle.guess());
    read(1);
    read(1);
    assertEquals(RecordReadSizing.MIN_READ << 3, handle.guess());
  }
}
