package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** When a {@link SpareBuffer} is lent again, and with how much room. */
class SpareBufferTest {
  private final SpareBuffer spare = new SpareBuffer(UnpooledByteBufAllocator.DEFAULT,
      SpareBuffer.REPLY_BYTES, SpareBuffer.KEPT_REPLY_BYTES);

  @Test
  void aReplyOfAKilobyteLeavesItsRoomForTheNext() {
    ByteBuf first = spare.take(0);
    first.writeZero(1024).release();
    ByteBuf second = spare.take(0);
    // Brought back to 256 bytes, every reply of 1 KiB would have grown it again.
    assertSame(first, second);
    assertEquals(0, second.readableBytes());
    assertTrue(second.capacity() >= 1024, "kept: " + second.capacity());
    second.release();
    spare.release();
    assertEquals(0, second.refCnt());
  }

  @Test
  void aBufferGrownPastWhatIsKeptIsBroughtBackToItsFirstSize() {
    ByteBuf first = spare.take(0);
    first.writeZero(SpareBuffer.KEPT_REPLY_BYTES + 1).release();
    ByteBuf second = spare.take(0);
    assertEquals(SpareBuffer.REPLY_BYTES, second.capacity());
    second.release();
    spare.release();
  }

  @Test
  void aTrimLetsABufferGrownPastWhatIsKeptGoAtOnce() {
    ByteBuf small = spare.take(0);
    small.writeZero(1024).release();
    spare.trim(); // room for a reply of a few KiB stays
    assertEquals(1, small.refCnt());
    assertSame(small, spare.take(0));
    small.writeZero(SpareBuffer.KEPT_REPLY_BYTES + 1).release();
    spare.trim(); // not kept until a next use, which a quiet owner may never have
    assertEquals(0, small.refCnt());
    ByteBuf next = spare.take(0);
    assertEquals(SpareBuffer.REPLY_BYTES, next.capacity());
    next.release();
    spare.release();
    assertEquals(0, next.refCnt());
  }

  @Test
  void aTrimLeavesAGrownBufferStillHeldToItsUse() {
    ByteBuf held = spare.take(0);
    held.writeZero(SpareBuffer.KEPT_REPLY_BYTES + 1);
    spare.trim();
    assertEquals(1, held.refCnt()); // the use's: freed with its release
    ByteBuf next = spare.take(0);
    assertEquals(SpareBuffer.REPLY_BYTES, next.capacity());
    held.release();
    assertEquals(0, held.refCnt());
    next.release();
    spare.release();
    assertEquals(0, next.refCnt());
  }

  @Test
  void aBufferStillHeldIsNotLentNorIsOneTooSmall() {
    ByteBuf held = spare.take(0);
    assertNull(spare.take(0), "still held by its reply");
    held.release();
    assertNull(spare.take(SpareBuffer.REPLY_BYTES + 1), "more than its first capacity");
    spare.take(0).release();
    spare.release();
    assertEquals(0, held.refCnt());
  }
}
