package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lengths read from the wire are checked against the declared maximum and the bytes left before
 * anything is allocated: a few bytes claiming 2 GiB must cost an {@link XdrException}, not an
 * {@link OutOfMemoryError} (the heap of a test JVM on this machine could not hold 2^31 - 1 bytes
 * next to everything else, and a list of 2^31 - 1 slots never).
 */
class XdrLengthBoundsTest {
  private static Object slice(XdrReader in, int max) {
    ByteBuf slice = in.readOpaqueSlice(max);
    slice.release();
    return null;
  }

  static Stream<Arguments> variableLengthReads() {
    return Stream.of(
        Arguments.of("opaque", (Function<Integer, Function<XdrReader, ?>>)
            max -> in -> in.readOpaque(max)),
        Arguments.of("opaque slice", (Function<Integer, Function<XdrReader, ?>>)
            max -> in -> slice(in, max)),
        Arguments.of("string", (Function<Integer, Function<XdrReader, ?>>)
            max -> in -> in.readString(max)),
        Arguments.of("array", (Function<Integer, Function<XdrReader, ?>>)
            max -> in -> in.readArrayLength(max, 4)),
        Arguments.of("list codec", (Function<Integer, Function<XdrReader, ?>>)
            max -> in -> XdrCodecs.list(XdrCodecs.INT, max, 4).decode(in)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variableLengthReads")
  void hugeLengthOnTinyMessageFailsBeforeAllocating(
      String what, Function<Integer, Function<XdrReader, ?>> read) {
    for (String length : new String[] {"7fffffff", "ffffffff", "80000000", "00010000"}) {
      assertThrows(XdrException.class,
          () -> Bufs.read(length + "00000000", read.apply(Xdr.UNBOUNDED)), length);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variableLengthReads")
  void lengthOverDeclaredMaximumIsRejected(
      String what, Function<Integer, Function<XdrReader, ?>> read) {
    // Nine items, and bytes enough behind the length for all of them.
    assertThrows(XdrException.class,
        () -> Bufs.read("00000009" + "00".repeat(64), read.apply(8)));
  }

  @Test
  void lengthOverTheBytesLeftIsRejectedWithBothNumbers() {
    XdrException e = assertThrows(XdrException.class,
        () -> Bufs.read("7fffffff61626364", in -> in.readString(Xdr.UNBOUNDED)));
    assertEquals("string length 2147483647 needs 2147483647 bytes, only 4 left", e.getMessage());
  }

  @Test
  void allOnesLengthReadsAsUnsignedAndIsOverAnyMaximum() {
    XdrException e = assertThrows(XdrException.class,
        () -> Bufs.read("ffffffff", in -> in.readOpaque(Xdr.UNBOUNDED)));
    assertEquals("opaque length 4294967295 bytes exceeds its maximum of 2147483647 bytes", e.getMessage());
  }

  @Test
  void declaredMaximumIsNamedInTheMessage() {
    XdrException e = assertThrows(XdrException.class,
        () -> Bufs.read("00000011" + "61".repeat(20), in -> in.readString(16)));
    assertEquals("string length 17 bytes exceeds its maximum of 16 bytes", e.getMessage());
  }

  @Test
  void lengthExactlyAtTheMaximumIsAccepted() {
    byte[] data = Bufs.read("00000003010203" + "00", in -> in.readOpaque(3));
    assertArrayEquals(new byte[] {1, 2, 3}, data);
    assertEquals(3, (int) Bufs.read("00000003", in -> in.readArrayLength(3, 0)));
  }

  @Test
  void arrayCountIsCheckedAgainstTheLeastEachElementTakes() {
    // 3 elements of at least 4 bytes need 12; only 8 are there.
    assertThrows(XdrException.class,
        () -> Bufs.read("000000030000000100000002", in -> in.readArrayLength(10, 4)));
    assertEquals(2, (int) Bufs.read("000000020000000100000002", in -> in.readArrayLength(10, 4)));
  }

  @Test
  void hugeFixedOpaqueOnTinyMessageFailsBeforeAllocating() {
    for (int length : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 2, 1 << 30}) {
      assertThrows(XdrException.class, () -> Bufs.read("01020304", in -> in.readFixedOpaque(length)));
    }
  }

  @Test
  void hugeFixedArrayOnTinyMessageIsRejected() {
    assertThrows(XdrException.class,
        () -> Bufs.read("00000001", in -> {
          in.checkFixedArray(Integer.MAX_VALUE, 4);
          return null;
        }));
    Bufs.read("0000000100000002", in -> {
      in.checkFixedArray(2, 4);
      assertEquals(8, in.remaining(), "the check reads nothing");
      return null;
    });
  }
}
