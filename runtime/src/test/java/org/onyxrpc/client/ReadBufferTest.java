package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.transport.RecordMarking;

/** When the caller-runs read buffer grows, is kept, and goes back to its usual size. */
class ReadBufferTest {
  private static final int LARGE = 1 << 20;
  private final ReadBuffer buffer = new ReadBuffer();
  /** The buffer the last record held was read into. */
  private ByteBuf readInto;

  @AfterEach
  void release() {
    buffer.release();
  }

  @Test
  void growsToTakeTheWholeOfALargeFragmentBegun() {
    arrive(header(LARGE), 100);

    buffer.makeRoom();

    assertTrue(buffer.bytes().writableBytes() >= LARGE - 100);
  }

  @Test
  void keepsItsGrownSizeWhileLargeRecordsKeepComing() {
    ByteBuf grown = readWholeRecord(LARGE);
    int capacity = grown.capacity();

    ByteBuf next = readWholeRecord(LARGE);

    // One buffer for both: before, each large reply had a new one allocated (and zeroed).
    assertSame(grown, next);
    assertEquals(capacity, next.capacity());
  }

  @Test
  void goesBackToItsUsualSizeOnceASmallRecordHasCome() {
    readWholeRecord(LARGE);

    readWholeRecord(100);

    assertEquals(ReadBuffer.USUAL_BYTES, buffer.bytes().capacity());
  }

  @Test
  void keepsItsGrownSizeWhileARecordIsStillArriving() {
    readWholeRecord(LARGE);
    ByteBuf grown = buffer.bytes();
    arrive(header(LARGE), 10); // the next large reply's first bytes: nothing delivered yet

    buffer.tidy();

    assertSame(grown, buffer.bytes());
    assertEquals(RecordMarking.HEADER_BYTES + 10, buffer.bytes().readableBytes());
  }

  @Test
  void readsOnIntoAnotherBufferWhileARecordStillPointsIntoTheGrownOne() {
    ByteBuf held = readWholeRecordHoldingIt(LARGE);
    ByteBuf grown = readInto;

    // Kept as the buffer read into, it could drop none of its bytes while the slice is held, and
    // the next reply would grow it: the connection reads on into another.
    assertNotSame(grown, buffer.bytes());
    assertEquals(ReadBuffer.USUAL_BYTES, buffer.bytes().capacity());
    assertEquals(header(LARGE), held.getInt(0));
    held.release();
  }

  @Test
  void readsIntoTheGrownBufferSetAsideOnceItsRecordIsReleased() {
    readWholeRecordHoldingIt(LARGE).release(); // as an application releases a result slice
    ByteBuf firstBuffer = readInto;
    readWholeRecordHoldingIt(LARGE).release();
    ByteBuf secondBuffer = readInto;

    ByteBuf third = readWholeRecordHoldingIt(LARGE);

    // The first reply's buffer again, and the second's set aside: before, each reply with a
    // result slice had a new 1 MiB buffer, zeroed by the JDK.
    assertSame(firstBuffer, readInto);
    assertNotSame(secondBuffer, firstBuffer);
    third.release();
    readWholeRecordHoldingIt(LARGE).release();
    assertSame(secondBuffer, readInto);
  }

  @Test
  void neverReadsIntoASetAsideBufferThatARecordStillPointsInto() {
    ByteBuf first = readWholeRecordHoldingIt(LARGE);
    ByteBuf firstBuffer = readInto;
    ByteBuf second = readWholeRecordHoldingIt(LARGE);

    ByteBuf third = readWholeRecordHoldingIt(LARGE, (byte) 7);

    assertNotSame(firstBuffer, readInto);
    assertEquals(0, first.getByte(RecordMarking.HEADER_BYTES));
    assertEquals(1, firstBuffer.refCnt()); // the connection let go of it: the holder frees it
    first.release();
    assertEquals(0, firstBuffer.refCnt());
    second.release();
    third.release();
  }

  @Test
  void letsGoOfTheBufferSetAsideOnceASmallRecordHasCome() {
    readWholeRecordHoldingIt(LARGE).release();
    ByteBuf setAside = readInto;

    readWholeRecord(100);

    assertEquals(0, setAside.refCnt());
    assertEquals(ReadBuffer.USUAL_BYTES, buffer.bytes().capacity());
  }

  @Test
  void leavesTheBytesOfRecordsStillHeldWhereTheyAre() {
    arrive(header(100), 100);
    ByteBuf in = buffer.bytes();
    ByteBuf held = in.readRetainedSlice(RecordMarking.HEADER_BYTES + 100);
    buffer.delivered(100);

    buffer.tidy();
    arrive(header(50), 50);

    // A record handed to a busy owner still points into the buffer: the next is not read over it.
    assertEquals(header(100), held.getInt(0));
    held.release();
    in.skipBytes(in.readableBytes());
    buffer.tidy();
    assertEquals(0, in.readerIndex());
  }

  /** A whole record of {@code length} bytes arrives, is delivered in place, and read tidied. */
  private ByteBuf readWholeRecord(int length) {
    arrive(header(length), 0);
    buffer.makeRoom();
    ByteBuf in = buffer.bytes();
    in.writeZero(length);
    in.skipBytes(RecordMarking.HEADER_BYTES + length);
    buffer.delivered(length);
    buffer.tidy();
    return buffer.bytes();
  }

  /**
   * A whole record of {@code length} bytes arrives and is delivered as a slice that is still held
   * when the read is tidied, as a result decoded as a slice is; returns the slice.
   */
  private ByteBuf readWholeRecordHoldingIt(int length) {
    return readWholeRecordHoldingIt(length, (byte) 0);
  }

  private ByteBuf readWholeRecordHoldingIt(int length, byte fill) {
    arrive(header(length), 0);
    buffer.makeRoom();
    ByteBuf in = buffer.bytes();
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, fill);
    in.writeBytes(bytes);
    readInto = in;
    ByteBuf held = in.readRetainedSlice(RecordMarking.HEADER_BYTES + length);
    buffer.delivered(length);
    buffer.tidy();
    return held;
  }

  /** {@code header} and {@code bytes} more bytes arrive in the buffer, with room made first. */
  private void arrive(int header, int bytes) {
    buffer.makeRoom();
    buffer.bytes().writeInt(header).writeZero(bytes);
  }

  private static int header(int length) {
    return RecordMarking.LAST_FRAGMENT | length;
  }
}
