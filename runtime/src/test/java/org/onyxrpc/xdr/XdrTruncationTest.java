package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every read on too few bytes is an {@link XdrException}, never Netty's {@code
 * IndexOutOfBoundsException}: each item is cut at every length short of whole.
 */
class XdrTruncationTest {
  private record Item(String name, String hex, Function<XdrReader, ?> read) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Stream<Item> items() {
    return Stream.of(
        new Item("int", "00000001", XdrReader::readInt),
        new Item("unsigned int", "00000001", XdrReader::readUnsignedInt),
        new Item("enum", "00000001", XdrReader::readEnum),
        new Item("bool", "00000001", XdrReader::readBool),
        new Item("hyper", "0000000000000001", XdrReader::readHyper),
        new Item("unsigned hyper", "0000000000000001", XdrReader::readUnsignedHyper),
        new Item("float", "3fc00000", XdrReader::readFloat),
        new Item("double", "400921fb54442d18", XdrReader::readDouble),
        new Item("fixed opaque[5]", "0102030405000000", in -> in.readFixedOpaque(5)),
        new Item("opaque<>", "000000050102030405000000", in -> in.readOpaque(Xdr.UNBOUNDED)),
        new Item("opaque<> slice", "00000005010203040500000000", XdrTruncationTest::readSlice),
        new Item("string<>", "0000000568656c6c6f000000", in -> in.readString(Xdr.UNBOUNDED)),
        new Item("array length", "00000000", in -> in.readArrayLength(10, 4)),
        new Item("optional flag", "00000000", XdrReader::readOptionalFlag),
        new Item("optional int", "000000010000002a", in -> in.readOptional(XdrCodecs.INT)));
  }

  private static Object readSlice(XdrReader in) {
    ByteBuf slice = in.readOpaqueSlice(Xdr.UNBOUNDED);
    int length = slice.readableBytes();
    slice.release();
    return length;
  }

  static Stream<Arguments> truncations() {
    return items().flatMap(item -> {
      // Trim the sample to its exact size first (the slice and opaque samples carry spares).
      int whole = Bufs.read(item.hex(), in -> {
        item.read().apply(in);
        return ByteBufUtil.decodeHexDump(item.hex()).length - in.remaining();
      });
      return IntStream.range(0, whole).mapToObj(length -> Arguments.of(item, whole, length));
    });
  }

  @ParameterizedTest(name = "{0} cut to {2} of {1} bytes")
  @MethodSource("truncations")
  void shortInputIsAnXdrException(Item item, int whole, int length) {
    byte[] bytes = ByteBufUtil.decodeHexDump(item.hex());
    ByteBuf buf = Bufs.copy(bytes, length);
    try {
      assertThrows(XdrException.class, () -> item.read().apply(new XdrReader(buf)));
      assertEquals(1, buf.refCnt(), "a failed slice read must not leak a retain");
    } finally {
      Bufs.release(buf);
    }
  }

  @Test
  void messageSaysWhatWasShort() {
    XdrException e = assertThrows(XdrException.class,
        () -> Bufs.read("000000", XdrReader::readHyper));
    assertEquals("hyper needs 8 bytes, only 3 left", e.getMessage());
  }
}
