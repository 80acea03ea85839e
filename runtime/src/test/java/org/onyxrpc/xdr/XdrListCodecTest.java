package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link XdrCodecs#list}: RFC 4506 §4.13 variable-length arrays as unmodifiable lists. */
class XdrListCodecTest {
  private static final XdrCodec<List<Integer>> INTS = XdrCodecs.list(XdrCodecs.INT, 4, 4);

  @Test
  void countThenElements() {
    assertEquals("00000000", Bufs.encodeHex(INTS, List.of()));
    assertEquals("000000020000000affffffff", Bufs.encodeHex(INTS, List.of(10, -1)));
    assertEquals(List.of(10, -1), Bufs.decodeAll(INTS, "000000020000000affffffff"));
    assertEquals(List.of(), Bufs.decodeAll(INTS, "00000000"));
  }

  @Test
  void listOfStringsRoundTrips() {
    XdrCodec<List<String>> names = XdrCodecs.list(XdrCodecs.string(8), Xdr.UNBOUNDED, 4);
    List<String> value = List.of("", "a", "abcde", "\u00e9t\u00e9");
    assertEquals(value, Bufs.roundTrip(names, value));
  }

  @Test
  void decodedListIsUnmodifiable() {
    List<Integer> list = Bufs.decodeAll(INTS, "0000000100000001");
    assertThrows(UnsupportedOperationException.class, () -> list.add(2));
  }

  @Test
  void writerRejectsMoreElementsThanTheMaximumAndWritesNothing() {
    ByteBuf buf = Unpooled.buffer();
    try {
      XdrException e = assertThrows(XdrException.class,
          () -> INTS.encode(new XdrWriter(buf), List.of(1, 2, 3, 4, 5)));
      assertEquals("array of 5 elements exceeds its maximum of 4 elements", e.getMessage());
      assertEquals(0, buf.writerIndex());
    } finally {
      Bufs.release(buf);
    }
  }

  @Test
  void readerRejectsCountOverTheMaximum() {
    XdrException e = assertThrows(XdrException.class,
        () -> Bufs.decodeAll(INTS, "00000005" + "00000001".repeat(5)));
    assertEquals("array length 5 elements exceeds its maximum of 4 elements", e.getMessage());
  }

  @Test
  void readerRejectsCountTheBytesCannotHold() {
    XdrCodec<List<Long>> hypers = XdrCodecs.list(XdrCodecs.HYPER, Xdr.UNBOUNDED, 8);
    XdrException e = assertThrows(XdrException.class,
        () -> Bufs.decodeAll(hypers, "00000002" + "0000000000000001"));
    assertEquals("array length 2 needs at least 16 bytes, only 8 left", e.getMessage());
  }

  @Test
  void elementErrorsSurfaceAsXdrExceptions() {
    XdrCodec<List<Boolean>> bools = XdrCodecs.list(XdrCodecs.BOOL, 4, 4);
    assertThrows(XdrException.class, () -> Bufs.decodeAll(bools, "000000020000000100000002"));
  }

  @Test
  void longListRoundTrips() {
    XdrCodec<List<Integer>> many = XdrCodecs.list(XdrCodecs.INT, Xdr.UNBOUNDED, 4);
    List<Integer> value = new ArrayList<>(Collections.nCopies(10_000, 7));
    value.set(9_999, 8);
    assertEquals(value, Bufs.roundTrip(many, value));
  }

  @Test
  void writerChecksFixedArraySize() {
    XdrWriter out = new XdrWriter(Unpooled.EMPTY_BUFFER);
    out.checkFixedArray(3, 3);
    XdrException e = assertThrows(XdrException.class, () -> out.checkFixedArray(2, 3));
    assertEquals("fixed array needs 3 elements, got 2", e.getMessage());
    assertThrows(XdrException.class, () -> out.checkFixedArray(4, 3));
  }
}
