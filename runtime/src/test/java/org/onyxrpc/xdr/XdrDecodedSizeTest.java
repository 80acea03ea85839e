package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.DecodeCharges;

/**
 * What a reader charges against {@link XdrLimits#maxDecodedBytes} is what {@link XdrLimits}
 * documents, and bounds what the values take: else a peer's message holds more of a server's heap
 * than its limits see.
 */
class XdrDecodedSizeTest {
  private record Pair(long left, Object right) {}

  private static long charged(byte[] message, Function<XdrReader, ?> read) {
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(message));
    read.apply(in);
    return in.decodedBytes();
  }

  private static byte[] message(int length, int fill, int... head) {
    ByteBuf buf = Unpooled.buffer();
    Arrays.stream(head).forEach(buf::writeInt);
    for (int i = 0; i < length; i++) {
      buf.writeByte(fill);
    }
    buf.writeZero(Xdr.padding(length));
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes).release();
    return bytes;
  }

  @Test
  void eachReadChargesWhatXdrLimitsDocuments() {
    assertEquals(16 + 3 * 8, charged(new byte[0], in -> {
      in.countObject(3);
      return null;
    }));
    assertEquals(24, charged(message(0, 0, 1), XdrReader::readOptionalFlag));
    assertEquals(32 + 5, charged(message(5, 'a', 5), in -> in.readOpaque(5)));
    assertEquals(32 + 5, charged(message(5, 'a'), in -> in.readFixedOpaque(5)));
    assertEquals(32 + 8, charged(message(8, 'a'), in -> in.readRemaining(8)));
    assertEquals(2 * (32 + 5), charged(message(5, 'a', 5), in -> in.readString(5)));
    assertEquals(96 + 8 * 2, charged(message(0, 0, 2, 7, 7), in -> in.readArrayLength(2, 4)));
    assertEquals(96 + 8 * 2, charged(message(0, 0, 7, 7), in -> {
      in.checkFixedArray(2, 4);
      return null;
    }));
  }

  @Test
  void anEmbeddedValueIsChargedToItsMessageWithinItsLimits() {
    XdrReader in = new XdrReader(Unpooled.EMPTY_BUFFER, new XdrLimits(XdrLimits.DEFAULT_MAX_DEPTH, 150));
    in.countObject(3);
    assertEquals("aaaaa", in.readEmbedded(Unpooled.wrappedBuffer(message(5, 'a', 5)), r -> r.readString(5)));
    assertEquals(16 + 3 * 8 + 2 * (32 + 5), in.decodedBytes());
    ByteBuf embedded = Unpooled.wrappedBuffer(message(5, 'a', 5));
    XdrException e = assertThrows(XdrException.class, () -> in.readEmbedded(embedded, r -> r.readString(5)));
    assertEquals("decoded values would take more than the 150 bytes allowed for one message", e.getMessage());
    assertEquals(16 + 3 * 8 + 4 * (32 + 5), in.decodedBytes(), "what was charged counts, as in line");
  }

  @Test
  void aStringThatIsNotUtf8ChargesTwoBytesAPossibleCharacter() {
    byte[] message = message(100, 0x80, 100); // 100 escapes U+DC80: 200 bytes of UTF-16
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(message));
    assertEquals("\udc80".repeat(100), in.readString(100));
    assertTrue(in.decodedBytes() >= 2 * 100 + 48, "charged " + in.decodedBytes());
  }

  @Test
  void whatIsChargedBoundsWhatIsAllocated() {
    assertChargesWhatItAllocates(message(1000, 'a', 1000), in -> in.readOpaque(1000));
    assertChargesWhatItAllocates(message(1001, 'a'), in -> in.readFixedOpaque(1001));
    assertChargesWhatItAllocates(message(1000, 'a', 1000), in -> in.readString(1000));
    assertChargesWhatItAllocates(message(0, 0, 0), in -> in.readString(0));
    assertChargesWhatItAllocates(message(4000, 1, 1000), in -> {
      // As generated code reads an int<> array.
      int[] items = new int[in.readArrayLength(1000, 4)];
      for (int i = 0; i < items.length; i++) {
        items[i] = in.readInt();
      }
      return items;
    });
    assertChargesWhatItAllocates(message(0, 0, 1, 1, 0), in -> {
      // As generated code builds a record: its fields, then the record, counted first.
      long left = in.readHyper();
      Object right = in.readOpaque(0);
      in.countObject(2);
      return new Pair(left, right);
    });
  }

  private static void assertChargesWhatItAllocates(byte[] message, Function<XdrReader, ?> read) {
    DecodeCharges.assertChargesWhatItAllocates(XdrCodecs.of((out, value) -> {}, read::apply), message);
  }
}
