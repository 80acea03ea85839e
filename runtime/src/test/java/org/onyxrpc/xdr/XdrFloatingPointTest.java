package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 4506 §4.6–4.7: IEEE 754 bits travel unchanged, signed zero, NaN and infinities included. */
class XdrFloatingPointTest {
  @ParameterizedTest(name = "float bits {0}")
  @CsvSource({
    "00000000", "80000000", "3f800000", "bf800000", "7f800000", "ff800000", "7fc00000",
    "7f800001", "ffc00123", "00000001", "7f7fffff",
  })
  void floatBitsRoundTrip(String hex) {
    int bits = Integer.parseUnsignedInt(hex, 16);
    float value = Float.intBitsToFloat(bits);
    assertEquals(hex, Bufs.encodeHex(XdrCodecs.FLOAT, value));
    assertEquals(bits, Float.floatToRawIntBits(Bufs.decodeAll(XdrCodecs.FLOAT, hex)));
  }

  @ParameterizedTest(name = "double bits {0}")
  @CsvSource({
    "0000000000000000", "8000000000000000", "3ff0000000000000", "7ff0000000000000",
    "fff0000000000000", "7ff8000000000000", "7ff0000000000001", "fff8000000000abc",
    "0000000000000001", "7fefffffffffffff",
  })
  void doubleBitsRoundTrip(String hex) {
    long bits = Long.parseUnsignedLong(hex, 16);
    double value = Double.longBitsToDouble(bits);
    assertEquals(hex, Bufs.encodeHex(XdrCodecs.DOUBLE, value));
    assertEquals(bits, Double.doubleToRawLongBits(Bufs.decodeAll(XdrCodecs.DOUBLE, hex)));
  }

  @ParameterizedTest
  @CsvSource({"-0.0", "NaN", "Infinity", "-Infinity", "1.4E-45", "3.4028235E38"})
  void specialFloatValuesRoundTrip(float value) {
    // Float.equals tells -0.0 from 0.0 and finds NaN equal to itself.
    assertEquals(Float.valueOf(value), Bufs.roundTrip(XdrCodecs.FLOAT, value));
  }

  @ParameterizedTest
  @CsvSource({"-0.0", "NaN", "Infinity", "-Infinity", "4.9E-324", "1.7976931348623157E308"})
  void specialDoubleValuesRoundTrip(double value) {
    assertEquals(Double.valueOf(value), Bufs.roundTrip(XdrCodecs.DOUBLE, value));
  }
}
