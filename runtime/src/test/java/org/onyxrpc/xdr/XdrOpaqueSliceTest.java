package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** {@link XdrReader#readOpaqueSlice}: a retained view of the message, no copy, owned by the caller. */
class XdrOpaqueSliceTest {
  private static ByteBuf pooled(String hex) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer();
    buf.writeBytes(ByteBufUtil.decodeHexDump(hex));
    return buf;
  }

  @Test
  void sliceSharesTheMessageBytesAndHoldsItsOwnReference() {
    ByteBuf message = pooled("00000003010203000000002a");
    XdrReader in = new XdrReader(message);
    ByteBuf slice = in.readOpaqueSlice(16);
    assertEquals("010203", ByteBufUtil.hexDump(slice));
    assertEquals(42, in.readInt(), "padding skipped, reader at the next item");
    assertEquals(2, message.refCnt(), "the slice retains the message");

    message.setByte(5, 0x7f);
    assertEquals(0x7f, slice.getByte(1), "a copy would not see the change");

    message.release();
    assertEquals(1, slice.refCnt(), "the slice keeps the memory alive");
    assertEquals("017f03", ByteBufUtil.hexDump(slice));
    Bufs.release(slice);
    assertEquals(0, message.refCnt());
  }

  @Test
  void aSliceOfARecordGatheredFromSeveralReadsIsWrittenBackWhole() {
    // What an echo does with a large record: the decoder joins the reads in a composite, the
    // handler takes a slice of it, and the slice is written into the reply.
    io.netty.buffer.CompositeByteBuf record = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer();
    record.addComponent(true, pooled("00000005aabb"));
    record.addComponent(true, pooled("ccdd"));
    record.addComponent(true, pooled("ee0000002a"));
    ByteBuf slice = new XdrReader(record).readOpaqueSlice(16);
    ByteBuf reply = PooledByteBufAllocator.DEFAULT.directBuffer(4);
    new XdrWriter(reply).writeOpaque(slice, 16);
    assertEquals("00000005aabbccddee000000", ByteBufUtil.hexDump(reply));
    slice.release(); // shares the record's count
    Bufs.release(reply);
    Bufs.release(record);
  }

  @Test
  void emptySliceIsFineAndReleasable() {
    ByteBuf message = pooled("00000000");
    ByteBuf slice = new XdrReader(message).readOpaqueSlice(0);
    assertEquals(0, slice.readableBytes());
    slice.release();
    Bufs.release(message);
  }

  @Test
  void badPaddingReleasesTheSliceItMadeBeforeThrowing() {
    ByteBuf message = pooled("00000001aa00ff00");
    assertThrows(XdrException.class, () -> new XdrReader(message).readOpaqueSlice(16));
    assertEquals(1, message.refCnt(), "the failed read left a retain behind");
    Bufs.release(message);
  }

  @Test
  void overMaximumRetainsNothing() {
    ByteBuf message = pooled("000000050102030405000000");
    assertThrows(XdrException.class, () -> new XdrReader(message).readOpaqueSlice(4));
    assertEquals(1, message.refCnt());
    Bufs.release(message);
  }
}
