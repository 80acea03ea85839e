package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.onyxrpc.testing.DecodeCharges.assertChargesWhatItAllocates;
import static org.onyxrpc.testing.DecodeCharges.charged;
import static org.onyxrpc.testing.DecodeCharges.encoding;
import static org.onyxrpc.testing.DecodeCharges.recordCharge;
import static org.onyxrpc.testing.DecodeCharges.stringCharge;

import org.junit.jupiter.api.Test;

/**
 * The benchmarks' hand-written codecs charge the records they build, as generated codecs do:
 * they are examples people copy, and a copy that does not charge lets a peer's message hold more
 * of a server's heap than its limits see.
 */
class CodecsChargesTest {
  @Test
  void addsArgumentsChargeTheirRecord() {
    assertChargesWhatItAllocates(AddProgram.Pair.CODEC, encoding(AddProgram.Pair.CODEC, AddProgram.ARGS));
  }

  @Test
  void aTradeChargesItsRecord() {
    assertChargesWhatItAllocates(Trade.XDR, encoding(Trade.XDR, Trade.SAMPLE));
    // Its strings' generous charges would hide a record left out: count that one too.
    assertEquals(recordCharge(7) + stringCharge(Trade.SAMPLE.symbol()) + stringCharge(Trade.SAMPLE.account()),
        charged(Trade.XDR, encoding(Trade.XDR, Trade.SAMPLE)));
  }
}
