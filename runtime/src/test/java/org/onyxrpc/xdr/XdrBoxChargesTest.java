package org.onyxrpc.xdr;

import static org.onyxrpc.testing.DecodeCharges.assertChargesWhatItAllocates;
import static org.onyxrpc.testing.DecodeCharges.encoding;

import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codecs of numbers charge the box each value takes: a list of 1,000 ints is 1,000 {@code
 * Integer}s besides its array, which the list's charge alone does not cover.
 */
class XdrBoxChargesTest {
  private static final int COUNT = 1000;

  static Stream<Arguments> boxes() {
    return Stream.of(
        box("int", XdrCodecs.INT, i -> 1000 + i),
        box("unsigned int", XdrCodecs.UNSIGNED_INT, i -> -1 - i),
        box("char", XdrCodecs.CHAR, i -> 128 + i % 128),
        box("unsigned char", XdrCodecs.UNSIGNED_CHAR, i -> 128 + i % 128),
        box("short", XdrCodecs.SHORT, i -> 1000 + i),
        box("unsigned short", XdrCodecs.UNSIGNED_SHORT, i -> 60000 + i),
        box("hyper", XdrCodecs.HYPER, i -> 1L << 40 | i),
        box("unsigned hyper", XdrCodecs.UNSIGNED_HYPER, i -> -1L - i),
        box("float", XdrCodecs.FLOAT, i -> i + 0.5f),
        box("double", XdrCodecs.DOUBLE, i -> i + 0.5));
  }

  private static <T> Arguments box(String idl, XdrCodec<T> codec, IntFunction<T> value) {
    return Arguments.of(idl, codec, IntStream.range(0, COUNT).mapToObj(value).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("boxes")
  <T> void aListOfNumbersChargesEachBox(String idl, XdrCodec<T> codec, List<T> values) {
    XdrCodec<List<T>> list = XdrCodecs.list(codec, COUNT, 4);
    assertChargesWhatItAllocates(list, encoding(list, values));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("boxes")
  <T> void oneNumberChargesItsBox(String idl, XdrCodec<T> codec, List<T> values) {
    assertChargesWhatItAllocates(codec, encoding(codec, values.get(COUNT - 1)));
  }
}
