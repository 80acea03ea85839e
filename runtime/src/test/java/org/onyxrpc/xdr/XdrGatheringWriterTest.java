package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link XdrWriter#gathering}: a large opaque given as a buffer joins the output by reference
 * (before: every reply copied it, so a 1 MiB echo made two copies on its way back, not one), with
 * the same bytes on the wire as a copying writer's.
 */
class XdrGatheringWriterTest {
  private static ByteBuf random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return PooledByteBufAllocator.DEFAULT.directBuffer(size).writeBytes(bytes);
  }

  private static void writeItems(XdrWriter out, ByteBuf data) {
    out.writeInt(7);
    out.writeOpaque(data, Integer.MAX_VALUE);
    out.writeInt(42);
    out.writeOpaque(data, Integer.MAX_VALUE); // the same bytes twice: two references
    out.writeString("end", 16);
  }

  @Test
  void aLargeOpaqueIsReferencedNotCopiedAndTheBytesAreTheSame() {
    int size = XdrWriter.GATHER_BYTES + 3; // padded
    ByteBuf data = random(size);
    ByteBuf copied = PooledByteBufAllocator.DEFAULT.directBuffer();
    writeItems(new XdrWriter(copied), data);

    ByteBuf reply = PooledByteBufAllocator.DEFAULT.directBuffer();
    reply.writeInt(0x8000_0000); // a record mark, written before
    XdrWriter out = XdrWriter.gathering(reply);
    writeItems(out, data);
    ByteBuf gathered = out.buffer();

    assertTrue(gathered instanceof CompositeByteBuf, gathered.toString());
    assertEquals(3, data.refCnt(), "the data itself is held twice, not copied");
    data.setByte(0, data.getByte(0) ^ 0xff);
    assertEquals(data.getByte(0), gathered.getByte(4 + 4 + 4), "a copy would not see the change");
    data.setByte(0, data.getByte(0) ^ 0xff);
    assertEquals(ByteBufUtil.hexDump(copied), ByteBufUtil.hexDump(gathered, 4, gathered.readableBytes() - 4));
    assertEquals(0x8000_0000, gathered.getInt(0));

    gathered.release(); // and reply with it
    assertEquals(0, reply.refCnt());
    assertEquals(1, data.refCnt());
    data.release();
    copied.release();
  }

  @Test
  void aSmallOpaqueIsCopiedAndTheBufferStaysTheSame() {
    ByteBuf data = random(XdrWriter.GATHER_BYTES - 1);
    ByteBuf reply = PooledByteBufAllocator.DEFAULT.directBuffer();
    XdrWriter out = XdrWriter.gathering(reply);
    out.writeOpaque(data, Integer.MAX_VALUE);
    assertSame(reply, out.buffer());
    assertEquals(1, data.refCnt());
    data.release();
    reply.release();
  }

  /** Bytes of memory behind {@code buf}: its components' capacities, not its readable bytes. */
  private static long held(ByteBuf buf) {
    if (buf instanceof CompositeByteBuf composite) {
      long held = 0;
      for (int i = 0; i < composite.numComponents(); i++) {
        held += composite.internalComponent(i).capacity();
      }
      return held;
    }
    return buf.capacity();
  }

  @Test
  void aLargeArrayOpaqueTakesABufferOfItsOwnSizeWithTheSameBytes() {
    byte[] data = new byte[(1 << 20) + 1]; // one byte more than a power of two, then padded
    new Random(7).nextBytes(data);
    ByteBuf copied = PooledByteBufAllocator.DEFAULT.directBuffer();
    new XdrWriter(copied).writeOpaque(data, Integer.MAX_VALUE);

    ByteBuf reply = PooledByteBufAllocator.DEFAULT.directBuffer();
    reply.writeInt(0x8000_0000);
    XdrWriter out = XdrWriter.gathering(reply);
    out.writeOpaque(data, Integer.MAX_VALUE);
    out.writeInt(42);
    ByteBuf gathered = out.buffer();

    assertEquals(4 + copied.readableBytes() + 4, gathered.readableBytes());
    assertTrue(ByteBufUtil.equals(copied, 0, gathered, 4, copied.readableBytes()), "the same bytes");
    assertEquals(42, gathered.getInt(gathered.writerIndex() - 4));
    // Grown to take the array, the reply would have doubled to 2 MiB.
    assertTrue(held(gathered) < data.length + (64 << 10),
        held(gathered) + " bytes held for " + gathered.readableBytes());
    gathered.release();
    assertEquals(0, reply.refCnt());
    copied.release();
  }

  @Test
  void whatFollowsAGatheredOpaqueDoesNotDoubleTheReply() {
    ByteBuf data = random((1 << 20) + 1);
    ByteBuf reply = PooledByteBufAllocator.DEFAULT.directBuffer();
    XdrWriter out = XdrWriter.gathering(reply);
    out.writeOpaque(data, Integer.MAX_VALUE);
    out.writeInt(42);
    ByteBuf gathered = out.buffer();
    assertEquals(4 + data.readableBytes() + 3 + 4, gathered.readableBytes());
    assertEquals(42, gathered.getInt(gathered.writerIndex() - 4));
    // The opaque is referenced; a few bytes after it must not cost another megabyte.
    long held = held(gathered) - data.readableBytes();
    assertTrue(held < 64 << 10, held + " bytes held besides the opaque");
    gathered.release();
    data.release();
  }

  @Test
  void aPlainWriterNeverGathers() {
    ByteBuf data = random(XdrWriter.GATHER_BYTES * 2);
    ByteBuf reply = PooledByteBufAllocator.DEFAULT.directBuffer();
    XdrWriter out = new XdrWriter(reply);
    out.writeOpaque(data, Integer.MAX_VALUE);
    assertSame(reply, out.buffer());
    assertEquals(4 + data.readableBytes(), reply.readableBytes());
    data.release();
    reply.release();
  }
}
