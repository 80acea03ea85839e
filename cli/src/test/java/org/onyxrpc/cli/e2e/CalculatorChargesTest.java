package org.onyxrpc.cli.e2e;

import static org.onyxrpc.testing.DecodeCharges.assertChargesWhatItAllocates;
import static org.onyxrpc.testing.DecodeCharges.encoding;

import org.junit.jupiter.api.Test;
import org.onyxrpc.xdr.XdrCodec;

/** The calculator's hand-written codecs charge the records they build, as generated ones do. */
class CalculatorChargesTest {
  private static <T> void assertCharges(XdrCodec<T> codec, T value) {
    assertChargesWhatItAllocates(codec, encoding(codec, value));
  }

  @Test
  void operandsAndQuotientsChargeWhatTheyAllocate() {
    assertCharges(Calculator.ADD.arguments(), new Calculator.Operands(2, 40));
    assertCharges(Calculator.DIVIDE.result(), new Calculator.Quotient(21, null));
    assertCharges(Calculator.DIVIDE.result(), new Calculator.Quotient(0, "cannot divide 1 by zero"));
  }
}
