package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The vector file itself: well formed, and split between the XDR and RPC tests without a gap. */
class ConformanceVectorsTest {
  @Test
  void theFileHoldsEveryLineOfTheSharedCopy() {
    // 35 data-type lines and 11 message lines when copied from shared/conformance.
    List<ConformanceVectors.Line> all = ConformanceVectors.all();
    assertEquals(46, all.size());
    long rpc = all.stream().filter(l -> ConformanceVectors.isRpcMessage(l.name())).count();
    assertEquals(11, rpc);
  }

  @Test
  void everyLineFallsInExactlyOneShare() {
    List<ConformanceVectors.Line> all = ConformanceVectors.all();
    int xdr = ConformanceVectors.select(n -> !ConformanceVectors.isRpcMessage(n)).size();
    int rpc = ConformanceVectors.select(ConformanceVectors::isRpcMessage).size();
    assertEquals(all.size(), xdr + rpc);
    assertTrue(xdr > 0 && rpc > 0);
  }
}
