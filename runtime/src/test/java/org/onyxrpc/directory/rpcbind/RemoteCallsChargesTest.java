package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.onyxrpc.testing.DecodeCharges.charged;
import static org.onyxrpc.testing.DecodeCharges.opaqueCharge;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;

/**
 * A forwarded call's results, copied as they are, are charged to the reply's reader as an opaque
 * before they are copied: before, up to 8 KiB a reply escaped its limits.
 */
class RemoteCallsChargesTest {
  @Test
  void forwardedResultsAreChargedAsAnOpaque() {
    assertEquals(opaqueCharge(Rpcb.MAX_CALL_BYTES), charged(RemoteCalls.RAW, new byte[Rpcb.MAX_CALL_BYTES]));
    assertEquals(0, charged(RemoteCalls.RAW, new byte[0]), "no results: the shared empty array");
  }

  @Test
  void resultsOverTheLimitsAreRefusedBeforeTheyAreCopied() {
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(new byte[1024]),
        new XdrLimits(XdrLimits.DEFAULT_MAX_DEPTH, 1024));
    XdrException e = assertThrows(XdrException.class, () -> RemoteCalls.RAW.decode(in));
    assertEquals("decoded values would take more than the 1024 bytes allowed for one message", e.getMessage());
    assertEquals(1024, in.remaining(), "nothing read");
    XdrReader tooLong = new XdrReader(Unpooled.wrappedBuffer(new byte[Rpcb.MAX_CALL_BYTES + 4]));
    assertEquals(Rpcb.MAX_CALL_BYTES + 4 + " bytes left, over the maximum of " + Rpcb.MAX_CALL_BYTES,
        assertThrows(XdrException.class, () -> RemoteCalls.RAW.decode(tooLong)).getMessage());
  }
}
