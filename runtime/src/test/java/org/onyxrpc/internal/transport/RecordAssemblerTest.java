package org.onyxrpc.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.testing.LeakDetection;

/** What a peer can make the assembler hold: its record, counted as the peer cut it. */
@ExtendWith(LeakDetection.class)
class RecordAssemblerTest {
  private final List<ByteBuf> records = new ArrayList<>();

  private static ByteBuf fragments(int count, int length, boolean lastIsLast) {
    ByteBuf wire = Unpooled.buffer();
    for (int i = 0; i < count; i++) {
      boolean last = lastIsLast && i == count - 1;
      wire.writeInt((last ? RecordMarking.LAST_FRAGMENT : 0) | length);
      wire.writeZero(length);
    }
    return wire;
  }

  @Test
  void emptyAndTinyFragmentsKeepAlmostNothing() {
    RecordAssembler assembler = new RecordAssembler(1 << 20);
    ByteBuf empties = fragments(10_000, 0, false);
    ByteBuf tiny = fragments(10_000, 1, false);
    assembler.decode(empties, ByteBufAllocator.DEFAULT, records::add);
    assembler.decode(tiny, ByteBufAllocator.DEFAULT, records::add);
    assertTrue(assembler.heldComponents() <= 3, "held " + assembler.heldComponents());
    ByteBuf last = fragments(1, 2, true);
    assembler.decode(last, ByteBufAllocator.DEFAULT, records::add);
    assertEquals(1, records.size());
    assertEquals(10_002, records.get(0).readableBytes());
    records.get(0).release();
    assertEquals(0, empties.refCnt() - 1 + tiny.refCnt() - 1 + last.refCnt() - 1);
    empties.release();
    tiny.release();
    last.release();
  }

  @Test
  void aReadOfTinyRecordsIsHandedOnOneAtATimeWhenAsked() {
    RecordAssembler assembler = new RecordAssembler(1 << 20);
    ByteBuf wire = fragments(1_000, 0, true); // the last one a record of its own
    wire.writeInt(RecordMarking.LAST_FRAGMENT).writeInt(RecordMarking.LAST_FRAGMENT | 4).writeInt(7);
    assembler.decode(wire, ByteBufAllocator.DEFAULT, records::add, 1);
    assertEquals(1, records.size());
    assertEquals(0, records.get(0).readableBytes()); // a thousand empty fragments, one record
    assertEquals(4 + 8, wire.readableBytes()); // an empty record, and one of 4 bytes, left in
    assembler.decode(wire, ByteBufAllocator.DEFAULT, records::add, 1);
    assembler.decode(wire, ByteBufAllocator.DEFAULT, records::add, 1);
    assertEquals(3, records.size());
    assertEquals(0, records.get(1).readableBytes());
    assertEquals(7, records.get(2).getInt(0));
    records.forEach(ByteBuf::release);
    wire.release();
  }

  @Test
  void everyHeaderAfterTheFirstCountsAgainstTheLimit() {
    RecordAssembler fits = new RecordAssembler(16);
    ByteBuf wire = Unpooled.buffer().writeInt(8).writeZero(8)
        .writeInt(RecordMarking.LAST_FRAGMENT | 4).writeZero(4);
    fits.decode(wire, ByteBufAllocator.DEFAULT, records::add);
    assertEquals(12, records.get(0).readableBytes()); // 8 + 4 + one header of 4 = 16
    records.get(0).release();
    wire.release();

    RecordAssembler over = new RecordAssembler(16);
    ByteBuf more = Unpooled.buffer().writeInt(8).writeZero(8)
        .writeInt(RecordMarking.LAST_FRAGMENT | 5);
    TooLongFrameException e = assertThrows(TooLongFrameException.class,
        () -> over.decode(more, ByteBufAllocator.DEFAULT, records::add));
    assertEquals("a record of at least 17 bytes exceeds the maximum of 16", e.getMessage());
    more.release();
    assertEquals(0, more.refCnt());
  }

  @Test
  void aRecordMarkThatIsTextOrATlsRecordSaysThePeerIsNoOncRpcPeer() {
    // An SSH server's banner, an HTTP request, a TLS ClientHello where a record mark belongs:
    // far over any limit, which a larger maxRecordBytes would not cure.
    String ssh = tooLong("SSH-2.0-OpenSSH_9.6\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertTrue(ssh.startsWith("a record of at least 1397966893 bytes exceeds the maximum of 16777216 "), ssh);
    assertTrue(ssh.endsWith("(the bytes read as its record mark are text, \"SSH-\": is the peer ONC RPC?)"), ssh);
    String tls = tooLong(new byte[] {0x16, 3, 1, 0, 0x2f, 1, 0, 0, 0x2b, 3, 3});
    assertTrue(tls.endsWith("(the bytes read as its record mark begin a TLS record: does the peer expect TLS "
        + "from its first byte, not RPC-over-TLS's STARTTLS?)"), tls);
    String binary = tooLong(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 1});
    assertEquals("a record of at least 2147483647 bytes exceeds the maximum of 16777216", binary);
  }

  private String tooLong(byte[] bytes) {
    RecordAssembler assembler = new RecordAssembler(16 << 20);
    ByteBuf wire = Unpooled.wrappedBuffer(bytes);
    try {
      return assertThrows(TooLongFrameException.class,
          () -> assembler.decode(wire, ByteBufAllocator.DEFAULT, records::add)).getMessage();
    } finally {
      wire.release();
    }
  }

  @Test
  void fragmentsPerRecordAreCapped() {
    RecordAssembler assembler = new RecordAssembler(1 << 20, 10);
    ByteBuf wire = fragments(11, 0, true);
    TooLongFrameException e = assertThrows(TooLongFrameException.class,
        () -> assembler.decode(wire, ByteBufAllocator.DEFAULT, records::add));
    assertEquals("a record of more than 10 fragments exceeds the maximum", e.getMessage());
    assertEquals(0, assembler.heldComponents());
    wire.release();
  }

  @Test
  void emptyFragmentsAloneCannotOutrunTheLimit() {
    RecordAssembler assembler = new RecordAssembler(1024);
    ByteBuf wire = fragments(1_000, 0, false); // 4,000 bytes of headers
    assertThrows(TooLongFrameException.class,
        () -> assembler.decode(wire, ByteBufAllocator.DEFAULT, records::add));
    wire.release();
  }

  @Test
  void aRecordOverTheLimitNamesItsXidOnceItHasArrived() {
    RecordAssembler first = new RecordAssembler(16);
    ByteBuf oneFragment = Unpooled.buffer().writeInt(RecordMarking.LAST_FRAGMENT | 17)
        .writeInt(0xCAFE_F00D);
    RecordTooLongException e = assertThrows(RecordTooLongException.class,
        () -> first.decode(oneFragment, ByteBufAllocator.DEFAULT, records::add));
    assertEquals(0xCAFE_F00D, e.xid());
    assertEquals(17, e.size());
    assertEquals(16, e.maxRecordBytes());
    assertEquals("a record of at least 17 bytes exceeds the maximum of 16", e.getMessage());
    oneFragment.release();

    // The xid split between a tiny first fragment and the next, both assembled already.
    RecordAssembler later = new RecordAssembler(1 << 20);
    ByteBuf split = Unpooled.buffer().writeInt(2).writeShort(0x0102).writeInt(2).writeShort(0x0304)
        .writeInt(RecordMarking.LAST_FRAGMENT | (1 << 20));
    RecordTooLongException l = assertThrows(RecordTooLongException.class,
        () -> later.decode(split, ByteBufAllocator.DEFAULT, records::add));
    assertEquals(0x0102_0304, l.xid());
    assertEquals(0, later.heldComponents());
    split.release();

    RecordAssembler noXid = new RecordAssembler(16);
    ByteBuf markOnly = Unpooled.buffer().writeInt(RecordMarking.LAST_FRAGMENT | 17).writeShort(1);
    TooLongFrameException n = assertThrows(TooLongFrameException.class,
        () -> noXid.decode(markOnly, ByteBufAllocator.DEFAULT, records::add));
    assertTrue(!(n instanceof RecordTooLongException), n.toString());
    markOnly.release();
  }

  @Test
  void aFirstFragmentOfNearlyTwoGibibytesWaitsForItsBytesUnderTheLargestLimit() {
    // 4 + 0x7FFFFFFF as an int is negative: the assembler read the record as arrived and sliced
    // two gibibytes out of the eight bytes there (IndexOutOfBoundsException, not a wait).
    RecordAssembler assembler = new RecordAssembler(Integer.MAX_VALUE);
    for (int length : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 3}) {
      ByteBuf wire = Unpooled.buffer().writeInt(RecordMarking.LAST_FRAGMENT | length).writeLong(0);
      assembler.decode(wire, ByteBufAllocator.DEFAULT, records::add);
      assertEquals(0, records.size());
      assertEquals(12, wire.readableBytes(), "nothing consumed before the record has arrived");
      wire.release();
    }
  }

  @Test
  void aFragmentReadIntoABufferManyTimesItsSizeDoesNotHoldTheRestOfIt() {
    // A peer sends each fragment of a record not yet ended (4 KiB, no longer copied as small)
    // alone, so that each is read into a reader's usual room of 16 KiB: kept by reference, a
    // record charged as 32 KiB held 128 KiB of read buffers, and a server's byte budget (a
    // quarter of the direct memory by default) held all of the direct memory.
    RecordAssembler assembler = new RecordAssembler(1 << 20, RecordAssembler.DEFAULT_MAX_FRAGMENTS);
    List<ByteBuf> reads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ByteBuf read = Unpooled.directBuffer(16 * 1024);
      read.writeInt(RecordAssembler.SMALL_FRAGMENT).writeZero(RecordAssembler.SMALL_FRAGMENT);
      assembler.decode(read, ByteBufAllocator.DEFAULT, records::add);
      reads.add(read);
    }
    long held = reads.stream().filter(read -> read.refCnt() > 1).mapToLong(ByteBuf::capacity).sum();
    assertTrue(held <= 2 * assembler.bufferedBytes(),
        held + " bytes of read buffers held for a record of " + assembler.bufferedBytes());
    ByteBuf last = fragments(1, 4, true);
    assembler.decode(last, ByteBufAllocator.DEFAULT, records::add);
    assertEquals(1, records.size());
    assertEquals(8 * RecordAssembler.SMALL_FRAGMENT + 4, records.get(0).readableBytes());
    records.get(0).release();
    reads.forEach(ByteBuf::release);
    last.release();
  }

  /**
   * Two reads gathered as Netty's decoder gathers them ({@link ReadCumulator}): the first, into a
   * read buffer of {@code firstRoom} bytes, brings {@code firstBytes} bytes of {@code wire}, the
   * second the rest. The composite owns both reads, which go into {@code reads}.
   */
  private static ByteBuf gathered(ByteBuf wire, int firstRoom, int firstBytes, List<ByteBuf> reads) {
    ByteBuf first = Unpooled.directBuffer(firstRoom).writeBytes(wire, firstBytes);
    ByteBuf second = Unpooled.directBuffer(wire.readableBytes()).writeBytes(wire);
    wire.release();
    reads.add(first);
    reads.add(second);
    return ReadCumulator.INSTANCE.cumulate(ByteBufAllocator.DEFAULT, first, second);
  }

  @Test
  void aFragmentGatheredOverReadsDoesNotHoldTheirLargeBuffers() {
    // A fragment not its record's last, its header and first byte at the end of a large read
    // (a connection whose reads grew to 64 KiB), its rest in the next read: gathered in a
    // composite, whose capacity is only the bytes written, it was kept by a slice of it, and
    // so held the 64 KiB read buffer under it, unseen by the copy of round 36.
    RecordAssembler assembler = new RecordAssembler(1 << 20, RecordAssembler.DEFAULT_MAX_FRAGMENTS);
    List<ByteBuf> reads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ByteBuf in = gathered(fragments(1, RecordAssembler.SMALL_FRAGMENT, false), 64 * 1024,
          RecordMarking.HEADER_BYTES + 1, reads);
      assembler.decode(in, ByteBufAllocator.DEFAULT, records::add);
      assertEquals(0, in.readableBytes());
      in.release(); // as Netty's decoder does with a cumulation read whole
    }
    long held = reads.stream().filter(read -> read.refCnt() > 0).mapToLong(ByteBuf::capacity).sum();
    assertTrue(held <= 2 * assembler.bufferedBytes(),
        held + " bytes of read buffers held for a record of " + assembler.bufferedBytes());
    ByteBuf last = fragments(1, 4, true);
    assembler.decode(last, ByteBufAllocator.DEFAULT, records::add);
    assertEquals(1, records.size());
    assertEquals(8 * RecordAssembler.SMALL_FRAGMENT + 4, records.get(0).readableBytes());
    records.get(0).release();
    last.release();
  }

  @Test
  void aRecordGatheredOverReadsIsCopiedOutOfTheirLargeBuffers() {
    // A one-fragment record is handed on as a slice of what it was read into: gathered over two
    // reads, the first 64 KiB of room, a 100-byte record held them (and waits as long as its
    // connection's calls or unread replies let it: WaitingRecords keeps such slices).
    RecordAssembler assembler = new RecordAssembler(1 << 20, RecordAssembler.DEFAULT_MAX_FRAGMENTS);
    List<ByteBuf> reads = new ArrayList<>();
    ByteBuf wire = Unpooled.buffer().writeInt(RecordMarking.LAST_FRAGMENT | 100);
    for (int i = 0; i < 100; i++) {
      wire.writeByte(i);
    }
    ByteBuf in = gathered(wire, 64 * 1024, RecordMarking.HEADER_BYTES + 1, reads);
    assembler.decode(in, ByteBufAllocator.DEFAULT, records::add);
    in.release();
    assertEquals(1, records.size());
    assertEquals(0, reads.get(0).refCnt(), "the record holds the 64 KiB read it began in");
    for (int i = 0; i < 100; i++) {
      assertEquals(i, records.get(0).getByte(i));
    }
    records.get(0).release();
  }

  @Test
  void aLargeRecordGatheredOverReadsOfItsSizeIsNotCopied() {
    // The usual large record: reads sized for what is missing of it, no room to spare.
    RecordAssembler assembler = new RecordAssembler(1 << 20, RecordAssembler.DEFAULT_MAX_FRAGMENTS);
    List<ByteBuf> reads = new ArrayList<>();
    ByteBuf wire = Unpooled.buffer().writeInt(RecordMarking.LAST_FRAGMENT | 100_000).writeZero(100_000);
    ByteBuf in = gathered(wire, 60_000, 60_000, reads);
    assembler.decode(in, ByteBufAllocator.DEFAULT, records::add);
    in.release();
    assertEquals(1, records.size());
    assertEquals(1, reads.get(0).refCnt(), "a record of its reads' size is a slice of them");
    assertEquals(100_000, records.get(0).readableBytes());
    records.get(0).release();
  }
}
