package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.transport.PageAlignedReads;
import org.onyxrpc.internal.transport.RecordAssembler;
import org.onyxrpc.internal.transport.RecordMarking;

/** When the caller-runs read buffer grows, is kept, and goes back to its usual size. */
class ReadBufferTest {
  private static final int LARGE = 1 << 20;
  private final ReadBuffer buffer = new ReadBuffer();

  /** What the buffer read into holds from its page's start. */
  private int room() {
    return ReadBuffer.room(buffer.bytes());
  }

  /** The buffer the last record held was read into. */
  private ByteBuf readInto;

  @AfterEach
  void release() {
    buffer.release();
  }

  @Test
  void growsAsALargeFragmentsBytesArrive() {
    arrive(header(LARGE), 100);
    buffer.makeRoom(true);
    // Before, the room was made at once for the whole fragment announced: a buffer of 2 MiB.
    assertEquals(ReadBuffer.USUAL_BYTES, room());

    buffer.bytes().writeZero(buffer.bytes().writableBytes()); // the room made is filled
    buffer.makeRoom(true);

    // At most twice the bytes come, so that the record's first read costs a few copies of what
    // has come and the next are read into the buffer kept.
    int come = buffer.bytes().readableBytes();
    assertTrue(room() > ReadBuffer.USUAL_BYTES, "not grown");
    assertTrue(room() <= 4 * come, "capacity " + room()
        + " for " + come + " bytes come");
    assertTrue(buffer.bytes().writableBytes() > 0);
  }

  @Test
  void aFragmentAnnouncedLargeGetsRoomOnlyAsItsBytesCome() {
    // A server's 4-byte mark announcing 16 MiB (the client's default record limit) and four bytes
    // made the buffer 16 MiB of direct memory at once, kept until a small reply came: a hostile
    // or broken server cost every connection 4,096 times what it sent.
    arrive(header((16 << 20) - 8), 4);

    buffer.makeRoom(true);

    assertEquals(ReadBuffer.USUAL_BYTES, room());
  }

  @Test
  void aFragmentAnnouncedAtNearlyTwoGibibytesGetsRoomAsItsBytesCome() {
    // Under the largest record limit a server's 4-byte mark of 2^31 - 1 asked for all of it at
    // once: the room made was 2 GiB of direct memory, or past the buffer's maximum capacity.
    arrive(header(Integer.MAX_VALUE), 100);

    buffer.makeRoom(true);

    assertEquals(ReadBuffer.USUAL_BYTES, room());
  }

  @Test
  void everyRecordIsReadFromAPageStart() {
    // Read 16 bytes past a page's start, where malloc puts a large buffer, a large reply was
    // copied by the kernel about six times slower on AMD machines (PageAlignedReads).
    buffer.makeRoom(true);
    assertAtAPageStart(buffer.bytes());

    ByteBuf grown = readWholeRecord(LARGE);
    buffer.makeRoom(true);

    assertTrue(room() > ReadBuffer.KEPT_BYTES, "not kept");
    assertSame(grown, buffer.bytes());
    assertAtAPageStart(buffer.bytes());
  }

  @Test
  void aRecordCarriedToAnotherBufferGoesToItsPageStart() {
    ByteBuf held = readWholeRecordHoldingIt(LARGE); // its buffer set aside, pointed into
    arrive(header(LARGE), 100);
    come(LARGE - 100, (byte) 0); // carried out of the usual buffer as it grows
    try {
      ByteBuf in = buffer.bytes();
      assertEquals(0, (in.memoryAddress() + in.readerIndex()) & (PageAlignedReads.PAGE_BYTES - 1),
          "the record begins " + in.readerIndex() + " bytes in");
    } finally {
      held.release();
    }
  }

  private static void assertAtAPageStart(ByteBuf in) {
    assertEquals(0, (in.memoryAddress() + in.writerIndex()) & (PageAlignedReads.PAGE_BYTES - 1),
        "reading begins at index " + in.writerIndex());
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

    assertEquals(ReadBuffer.USUAL_BYTES, room());
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
  void goesBackToItsUsualSizeOnceQuietCarryingTheStartOfARecord() {
    readWholeRecord(LARGE);
    assertTrue(room() > ReadBuffer.KEPT_BYTES, "not grown");
    arrive(header(64), 10); // a record begun and never finished (a server dribbling it)

    buffer.letGoOfKeptForLarge();

    // Before, only an empty grown buffer went: the 10 bytes kept 2 MiB for good.
    assertEquals(ReadBuffer.USUAL_BYTES, room());
    assertEquals(header(64), buffer.bytes().getInt(buffer.bytes().readerIndex()));
    assertEquals(RecordMarking.HEADER_BYTES + 10, buffer.bytes().readableBytes());
  }

  @Test
  void keepsItsGrownSizeOnceQuietWhileALargeRecordsBytesAreInIt() {
    readWholeRecord(LARGE);
    ByteBuf grown = buffer.bytes();
    arrive(header(LARGE), ReadBuffer.CARRIED_BYTES); // more than a usual buffer's half

    buffer.letGoOfKeptForLarge();

    assertSame(grown, buffer.bytes());
  }

  @Test
  void carriesTheNextRecordOutOfAGrownBufferThatARecordStillPointsInto() {
    ByteBuf held = readWholeRecordHoldingIt(LARGE, (byte) 1);
    ByteBuf grown = readInto;
    int capacity = grown.capacity();

    ByteBuf next = readWholeRecordHoldingIt(LARGE, (byte) 2);

    // Grown further instead, it would have copied the 1 MiB the first record still points at.
    assertNotSame(grown, readInto);
    assertEquals(capacity, grown.capacity());
    assertEquals(1, held.getByte(RecordMarking.HEADER_BYTES));
    assertEquals(2, next.getByte(RecordMarking.HEADER_BYTES));
    held.release();
    next.release();
  }

  @Test
  void readsEachLargeRecordIntoTheSameBufferOnceThePreviousIsReleased() {
    readWholeRecordHoldingIt(LARGE).release(); // as an application releases a result slice
    ByteBuf first = readInto;
    int capacity = first.capacity();

    readWholeRecordHoldingIt(LARGE).release();
    ByteBuf third = readWholeRecordHoldingIt(LARGE);

    // Before 01895aa5, each reply with a result slice had a new 1 MiB buffer, zeroed by the JDK.
    assertSame(first, readInto);
    assertEquals(capacity, first.capacity());
    third.release();
  }

  @Test
  void readsIntoABufferSetAsideOnceTheRecordsInItAreReleased() {
    List<ByteBuf> held = new ArrayList<>();
    held.add(readWholeRecordHoldingIt(LARGE));
    ByteBuf firstBuffer = readInto;
    held.add(readWholeRecordHoldingIt(LARGE)); // carried to another buffer
    ByteBuf secondBuffer = readInto;
    held.remove(0).release();

    while (readInto == secondBuffer && held.size() < 8) { // until it is full
      held.add(readWholeRecordHoldingIt(LARGE));
    }

    // Records still point into the second buffer: the one that fills it moves to the first.
    assertNotSame(firstBuffer, secondBuffer);
    assertSame(firstBuffer, readInto);
    held.forEach(ByteBuf::release);
  }

  @Test
  void neverReadsIntoABufferThatARecordStillPointsInto() {
    ByteBuf first = readWholeRecordHoldingIt(LARGE, (byte) 1);
    ByteBuf second = readWholeRecordHoldingIt(LARGE, (byte) 2);

    ByteBuf third = readWholeRecordHoldingIt(LARGE, (byte) 3);

    assertEquals(1, first.getByte(RecordMarking.HEADER_BYTES));
    assertEquals(1, first.getByte(RecordMarking.HEADER_BYTES + LARGE - 1));
    assertEquals(2, second.getByte(RecordMarking.HEADER_BYTES));
    assertEquals(2, second.getByte(RecordMarking.HEADER_BYTES + LARGE - 1));
    assertEquals(3, third.getByte(RecordMarking.HEADER_BYTES));
    first.release();
    second.release();
    third.release();
  }

  @Test
  void letsGoOfTheBufferSetAsideOnceASmallRecordHasCome() {
    readWholeRecordHoldingIt(LARGE).release();
    ByteBuf setAside = readInto;

    readWholeRecord(100);

    assertEquals(0, setAside.refCnt());
    assertEquals(ReadBuffer.USUAL_BYTES, room());
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
    assertEquals(PageAlignedReads.start(in), in.readerIndex()); // emptied, back to its start
  }

  @Test
  void carriesTheBytesNotYetTakenToAnotherBufferRatherThanGrowOneThatRecordsPointInto() {
    ByteBuf first = buffer.bytes();
    first.writeInt(fragmentHeader(60_000)).writeZero(60_000);
    ByteBuf fragment = first.readRetainedSlice(RecordMarking.HEADER_BYTES + 60_000);
    first.writeInt(header(10_000)).writeZero(1_000); // the next fragment's first bytes
    int capacity = first.capacity();

    buffer.makeRoom(true);

    // Grown, the buffer would have copied the 60,000 bytes the fragment points at, as every
    // 64 KiB fragment of a reply from a C server did.
    assertNotSame(first, buffer.bytes());
    assertEquals(capacity, first.capacity());
    assertEquals(RecordMarking.HEADER_BYTES + 1_000, buffer.bytes().readableBytes());
    assertEquals(header(10_000), buffer.bytes().getInt(buffer.bytes().readerIndex()));
    assertTrue(buffer.bytes().writableBytes() >= 10_000 - 1_000);
    assertEquals(fragmentHeader(60_000), fragment.getInt(0));
    fragment.release();
  }

  @Test
  void growsABufferThatRecordsPointIntoWhileABatchIsBeingDeliveredFromIt() {
    ByteBuf first = buffer.bytes();
    first.writeInt(fragmentHeader(60_000)).writeZero(60_000);
    ByteBuf fragment = first.readRetainedSlice(RecordMarking.HEADER_BYTES + 60_000);
    first.writeInt(header(10_000)).writeZero(1_000);

    buffer.makeRoom(false);

    assertSame(first, buffer.bytes());
    assertTrue(first.writableBytes() >= 10_000 - 1_000);
    fragment.release();
  }

  @Test
  void readsARecordCutIntoFragmentsIntoBuffersItAlreadyHas() {
    List<ByteBuf> firstReads = new ArrayList<>();
    List<Integer> firstCapacities = new ArrayList<>();
    readInFragments(LARGE, 64 << 10, firstReads, firstCapacities).release();
    List<ByteBuf> nextReads = new ArrayList<>();
    List<Integer> nextCapacities = new ArrayList<>();

    ByteBuf record = readInFragments(LARGE, 64 << 10, nextReads, nextCapacities);

    // Before, each such record grew the buffer from 64 KiB to 2 MiB, copying it at each step,
    // and the next record began again in a new 64 KiB buffer.
    assertEquals(LARGE, record.readableBytes());
    for (int i = 0; i < nextReads.size(); i++) {
      int seen = indexOf(firstReads, nextReads.get(i));
      assertTrue(seen >= 0, "read " + i + " of the second record went into a new buffer");
      assertEquals(firstCapacities.get(seen), nextCapacities.get(i));
    }
    record.release();
  }

  @Test
  void keepsAtMostItsBoundOfBuffersOnceTheRecordsInThemAreReleased() {
    List<ByteBuf> held = new ArrayList<>();
    List<ByteBuf> reads = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      held.add(readInFragments(LARGE, 64 << 10, reads, new ArrayList<>()));
    }
    long used = reads.stream().map(System::identityHashCode).distinct().count();

    held.forEach(ByteBuf::release);

    // Each record held pinned the buffers it was read into, so each took new ones; once released,
    // only the buffer read into and those set aside are kept.
    long kept = reads.stream().filter(read -> read.refCnt() > 0)
        .map(System::identityHashCode).distinct().count();
    assertTrue(used > ReadBuffer.MAX_SET_ASIDE + 1, used + " buffers used");
    assertTrue(kept <= ReadBuffer.MAX_SET_ASIDE + 1, kept + " buffers kept");
  }

  /**
   * A record of {@code length} bytes arrives in fragments of {@code fragmentLength}, read as a
   * socket would, up to the room made, at most 64 KiB at a time, and is assembled; returns the
   * record, and adds each buffer read into, and its capacity then, to {@code reads}.
   */
  private ByteBuf readInFragments(int length, int fragmentLength, List<ByteBuf> reads,
      List<Integer> capacities) {
    ByteBuf stream = Unpooled.buffer();
    for (int sent = 0; sent < length; sent += fragmentLength) {
      int size = Math.min(fragmentLength, length - sent);
      stream.writeInt(sent + size == length ? header(size) : fragmentHeader(size)).writeZero(size);
    }
    RecordAssembler assembler = new RecordAssembler(2 * length);
    List<ByteBuf> records = new ArrayList<>();
    while (stream.isReadable()) {
      buffer.makeRoom(true);
      ByteBuf in = buffer.bytes();
      reads.add(in);
      capacities.add(in.capacity());
      in.writeBytes(stream, Math.min(Math.min(in.writableBytes(), 64 << 10),
          stream.readableBytes()));
      assembler.decode(in, UnpooledByteBufAllocator.DEFAULT, records::add);
      records.forEach(record -> buffer.delivered(record.readableBytes()));
      buffer.tidy();
    }
    stream.release();
    assertEquals(1, records.size());
    return records.get(0);
  }

  private static int indexOf(List<ByteBuf> buffers, ByteBuf wanted) {
    for (int i = 0; i < buffers.size(); i++) {
      if (buffers.get(i) == wanted) { // ByteBuf.equals compares contents
        return i;
      }
    }
    return -1;
  }

  /** A whole record of {@code length} bytes arrives, is delivered in place, and read tidied. */
  private ByteBuf readWholeRecord(int length) {
    arrive(header(length), 0);
    ByteBuf in = come(length, (byte) 0);
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
    ByteBuf in = come(length, fill);
    readInto = in;
    ByteBuf held = in.readRetainedSlice(RecordMarking.HEADER_BYTES + length);
    buffer.delivered(length);
    buffer.tidy();
    return held;
  }

  /**
   * {@code length} bytes of {@code fill} arrive as a socket brings them: at most 64 KiB a read,
   * into the room made before each; returns the buffer they are in.
   */
  private ByteBuf come(int length, byte fill) {
    byte[] piece = new byte[64 << 10];
    Arrays.fill(piece, fill);
    for (int left = length; left > 0; ) {
      buffer.makeRoom(true);
      ByteBuf in = buffer.bytes();
      int n = Math.min(Math.min(in.writableBytes(), piece.length), left);
      in.writeBytes(piece, 0, n);
      left -= n;
    }
    return buffer.bytes();
  }

  /** {@code header} and {@code bytes} more bytes arrive in the buffer, with room made first. */
  private void arrive(int header, int bytes) {
    buffer.makeRoom(true);
    buffer.bytes().writeInt(header).writeZero(bytes);
  }

  private static int fragmentHeader(int length) {
    return length;
  }

  private static int header(int length) {
    return RecordMarking.LAST_FRAGMENT | length;
  }
}
