package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records waiting beyond a connection's call limit: kept in order, charged their bytes and a
 * record mark each, and held as a bounded number of objects however many a peer packs into a
 * read.
 */
class WaitingRecordsTest {
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  @Test
  void aReadOfEmptyRecordsIsHeldInABoundedNumberOfBuffersAndChargedWhatWasSent() {
    WaitingRecords waiting = new WaitingRecords();
    ByteBuf read = Unpooled.buffer(1); // what the empty records were sliced from
    int records = 250_000; // a 1 MiB read of 4-byte empty records
    for (int i = 0; i < records; i++) {
      waiting.add(read.retainedSlice(0, 0), ALLOC);
    }
    assertEquals(records, waiting.size());
    assertEquals(4L * records, waiting.bytes());
    assertTrue(waiting.slicesHeld() <= WaitingRecords.MAX_SLICES, "" + waiting.slicesHeld());

    waiting.releaseAll();
    assertEquals(1, read.refCnt()); // every slice given back
    assertEquals(0, waiting.bytes());
    assertTrue(waiting.isEmpty());
    read.release();
  }

  @Test
  void recordsComeOutInTheOrderTheyWentInWhetherKeptOrCopied() {
    WaitingRecords waiting = new WaitingRecords();
    List<ByteBuf> originals = new ArrayList<>();
    int records = WaitingRecords.MAX_SLICES * 3;
    long charged = 0;
    for (int i = 0; i < records; i++) {
      ByteBuf record = Unpooled.buffer().writeInt(i).writeZero(i % 7);
      originals.add(record);
      charged += 4 + record.readableBytes();
      waiting.add(record.retain(), ALLOC);
    }
    assertEquals(charged, waiting.bytes());
    for (int i = 0; i < records; i++) {
      ByteBuf next = waiting.poll();
      assertEquals(4 + i % 7, next.readableBytes());
      assertEquals(i, next.getInt(next.readerIndex()));
      charged -= 4 + next.readableBytes();
      assertEquals(charged, waiting.bytes());
      next.release();
    }
    assertNull(waiting.poll());
    assertEquals(0, waiting.size());
    for (ByteBuf record : originals) {
      assertEquals(1, record.refCnt()); // the copied ones were given back when copied
      record.release();
    }
  }

  @Test
  void aRecordAddedAfterSomeWereTakenStillComesAfterTheCopiedOnes() {
    WaitingRecords waiting = new WaitingRecords();
    for (int i = 0; i < WaitingRecords.MAX_SLICES + 2; i++) {
      waiting.add(Unpooled.buffer().writeInt(i), ALLOC);
    }
    waiting.poll().release(); // room among the kept ones again, while two wait copied
    waiting.add(Unpooled.buffer().writeInt(-1), ALLOC);
    int last = 0;
    ByteBuf next;
    while ((next = waiting.poll()) != null) {
      last = next.getInt(0);
      next.release();
    }
    assertEquals(-1, last);
  }
}
