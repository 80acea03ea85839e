package org.onyxrpc.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {
  private static ByteBuf fragment(boolean last, String hex) {
    byte[] data = ByteBufUtil.decodeHexDump(hex);
    ByteBuf buf = Unpooled.buffer();
    buf.writeInt((last ? RecordMarking.LAST_FRAGMENT : 0) | data.length);
    buf.writeBytes(data);
    return buf;
  }

  private static String readAndRelease(ByteBuf record) {
    String hex = ByteBufUtil.hexDump(record);
    record.release();
    return hex;
  }

  @Test
  void oneFragmentRecordsComeOutWhole() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordDecoder(1024));
    ByteBuf two = Unpooled.wrappedBuffer(fragment(true, "01020304"), fragment(true, "0506"));
    ch.writeInbound(two);
    assertEquals("01020304", readAndRelease(ch.readInbound()));
    assertEquals("0506", readAndRelease(ch.readInbound()));
    assertNull(ch.readInbound());
    assertFalse(ch.finish());
    assertEquals(0, two.refCnt());
  }

  @Test
  void fragmentsAreJoinedAcrossSplitReads() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordDecoder(1024));
    ByteBuf wire = Unpooled.wrappedBuffer(
        fragment(false, "aa"), fragment(false, "bbcc"), fragment(true, "dd"));
    List<ByteBuf> pieces = new ArrayList<>();
    while (wire.isReadable()) {
      pieces.add(wire.readRetainedSlice(Math.min(3, wire.readableBytes())));
    }
    wire.release();
    for (ByteBuf piece : pieces) {
      ch.writeInbound(piece);
    }
    assertEquals("aabbccdd", readAndRelease(ch.readInbound()));
    assertFalse(ch.finish());
    pieces.forEach(p -> assertEquals(0, p.refCnt()));
  }

  @Test
  void emptyLastFragmentEndsARecord() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordDecoder(1024));
    ch.writeInbound(Unpooled.wrappedBuffer(fragment(false, "0102"), fragment(true, "")));
    assertEquals("0102", readAndRelease(ch.readInbound()));
    assertFalse(ch.finish());
  }

  @Test
  void recordOverTheLimitFailsOnItsHeader() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordDecoder(8));
    ByteBuf header = Unpooled.buffer().writeInt(RecordMarking.LAST_FRAGMENT | 9);
    TooLongFrameException e = assertThrows(TooLongFrameException.class, () -> ch.writeInbound(header));
    assertEquals("a record of at least 9 bytes exceeds the maximum of 8", e.getMessage());
    assertEquals(0, header.refCnt());
    ch.finishAndReleaseAll();
  }

  @Test
  void fragmentsAddUpAgainstTheLimit() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordDecoder(8));
    ch.writeInbound(fragment(false, "0102030405"));
    assertThrows(TooLongFrameException.class, () -> ch.writeInbound(fragment(true, "060708090a")));
    ch.finishAndReleaseAll();
  }

  /**
   * A peer that sends a fragment a byte at a time gets each byte read into a buffer of its own,
   * of at least a read's smallest size (2 KiB). Those buffers were kept whole until the record
   * was complete: 2 KiB held per byte sent (3,000 of 3,000 here), which the server's byte budget,
   * counting bytes, never saw. Runs of small reads are now copied together.
   */
  @Test
  void aFragmentTrickledAByteAtATimeDoesNotKeepEveryReadsBuffer() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordDecoder(1 << 20));
    int length = 3000;
    byte[] lastFragmentOf3000 = {(byte) 0x80, 0, 0x0b, (byte) 0xb8};
    TrickledReads trickle = new TrickledReads(ch, lastFragmentOf3000, length);
    assertTrue(trickle.held() <= 2 * ReadCumulator.SMALL_READS, trickle.held() + " of " + length
        + " reads' buffers held");
    ByteBuf record = ch.readInbound();
    assertEquals(length, record.readableBytes());
    for (int i = 0; i < length; i++) {
      assertEquals((byte) i, record.getByte(record.readerIndex() + i));
    }
    record.release();
    assertFalse(ch.finish());
    assertEquals(0, trickle.held());
  }

  @Test
  void partialRecordIsReleasedWhenTheConnectionCloses() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordDecoder(1024));
    ByteBuf first = fragment(false, "0102");
    ch.writeInbound(first);
    assertFalse(ch.finish());
    assertEquals(0, first.refCnt());
  }

  @Test
  void recordMarkIsPatchedInPlace() {
    ByteBuf buf = Unpooled.buffer();
    int mark = RecordMarking.begin(buf);
    buf.writeInt(0x11223344);
    RecordMarking.end(buf, mark);
    assertArrayEquals(ByteBufUtil.decodeHexDump("8000000411223344"), ByteBufUtil.getBytes(buf));
    buf.release();
  }

  @Test
  void peersThatStopMidRecordAreLoggedOnOneLineAndNotOncePerConnection() {
    String forged = "2026-12-03 01:00:00 [main] ERROR Forged - written by a peer";
    // A Unix-domain peer's address is the path it bound its socket to, newlines included.
    SocketAddress chosen = new DomainSocketAddress("/tmp/a\n" + forged);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      for (int i = 0; i < 100; i++) {
        EmbeddedChannel ch = new EmbeddedChannel() {
          @Override
          protected SocketAddress remoteAddress0() {
            return chosen;
          }
        };
        ch.pipeline().addLast(new RecordDecoder(1024));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0, 0, 8, 1, 2}));
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
      }
    } finally {
      System.setErr(stderr);
    }
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> line.contains("stopped in the middle of a record") || line.contains("Forged"))
        .toList();
    assertEquals(1, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).contains("closing /tmp/a\\x0a" + forged + ": the peer stopped"), lines.get(0));
  }
}
