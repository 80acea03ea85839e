package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Xdr#padding} and {@link Xdr#padded}: RFC 4506 §3 rounds every item up to 4 bytes. */
class XdrPaddingArithmeticTest {
  @ParameterizedTest(name = "{0} bytes take {2} padding to {1}")
  @CsvSource({
    "0, 0, 0", "1, 4, 3", "2, 4, 2", "3, 4, 1", "4, 4, 0", "5, 8, 3", "7, 8, 1", "8, 8, 0",
    "400, 400, 0", "2147483644, 2147483644, 0", "2147483645, -2147483648, 3",
  })
  void roundsUpToWholeUnits(int length, int padded, int padding) {
    assertEquals(padding, Xdr.padding(length));
    // Overflows int just past 2^31 - 4: callers that may see such lengths widen to long first.
    assertEquals(padded, Xdr.padded(length));
  }
}
