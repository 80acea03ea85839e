package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** A reader started over on the next message reads it as a new reader would. */
class XdrReaderResetTest {
  private static final XdrLimits LIMITS = new XdrLimits(2, 128);

  @Test
  void aResetReaderReadsTheNextMessageFromItsStartWithNothingDecodedYet() {
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 3, 1, 2, 3, 0}),
        LIMITS);
    assertArrayEquals(new byte[] {1, 2, 3}, in.readOpaque(8));

    assertSame(in, in.reset(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 7})));
    assertEquals(0, in.decodedBytes());
    assertEquals(4, in.remaining());
    assertEquals(7, in.readInt());
    assertEquals(LIMITS, in.limits());
  }

  @Test
  void aResetReaderChargesEachMessageAfreshAgainstItsLimits() {
    byte[] fifty = new byte[4 + 52];
    fifty[3] = 50;
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(fifty), LIMITS);
    in.readOpaque(100);
    // Within one message, a second such opaque exceeds the 128 decoded bytes (each charges 32 + 50).
    assertThrows(XdrException.class, () -> {
      in.reset(Unpooled.wrappedBuffer(fifty, fifty)).readOpaque(100);
      in.readOpaque(100);
    });
    // The next message's opaque does not: the first message's charge is not kept.
    assertEquals(50, in.reset(Unpooled.wrappedBuffer(fifty)).readOpaque(100).length);
  }
}
