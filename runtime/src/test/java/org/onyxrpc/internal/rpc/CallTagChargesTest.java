package org.onyxrpc.internal.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.onyxrpc.testing.DecodeCharges.assertChargesWhatItAllocates;
import static org.onyxrpc.testing.DecodeCharges.encoding;

import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallMetadata;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A call tag and its metadata are charged to the reader of the call they came in: before, they
 * were read with a reader of their own, and up to 3 KB a call escaped the call's limits.
 */
class CallTagChargesTest {
  /** A verifier as a call carries it, and the tag in it as the server reads it. */
  private static final XdrCodec<CallTag> CODEC = XdrCodecs.of(
      (out, tag) -> tag.toVerifier().encode(out), in -> CallTag.of(OpaqueAuth.decode(in), in));

  @Test
  void aTagWithoutMetadataChargesWhatItAllocates() {
    assertChargesWhatItAllocates(CODEC, encoding(CODEC, new CallTag(1, 2, true, 1, 0)));
  }

  @Test
  void theMostEntriesAVerifierHoldsChargeWhatTheyAllocate() {
    CallMetadata full = new CallMetadata();
    for (int i = 0; i < CallMetadata.MAX_ENTRIES; i++) {
      full.put("k" + Integer.toHexString(i), "v".repeat(i));
    }
    assertEquals(CallMetadata.MAX_ENTRIES, full.keys().size());
    assertChargesWhatItAllocates(CODEC, encoding(CODEC, new CallTag(1, 2, false, 1, 0, full)));
  }

  @Test
  void aTraceparentChargesWhatItAllocates() {
    CallMetadata metadata = new CallMetadata()
        .put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertChargesWhatItAllocates(CODEC, encoding(CODEC, new CallTag(1, 2, false, 1, 0, metadata)));
  }
}
