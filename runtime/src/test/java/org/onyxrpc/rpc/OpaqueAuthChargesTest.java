package org.onyxrpc.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.onyxrpc.testing.DecodeCharges.assertChargesWhatItAllocates;
import static org.onyxrpc.testing.DecodeCharges.charged;
import static org.onyxrpc.testing.DecodeCharges.encoding;
import static org.onyxrpc.testing.DecodeCharges.opaqueCharge;
import static org.onyxrpc.testing.DecodeCharges.recordCharge;

import org.junit.jupiter.api.Test;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/** A call's credential and verifier charge the record they make, besides its body. */
class OpaqueAuthChargesTest {
  private static final XdrCodec<OpaqueAuth> CODEC = XdrCodecs.of((out, a) -> a.encode(out), OpaqueAuth::decode);

  @Test
  void aCredentialChargesWhatItAllocates() {
    OpaqueAuth credential = new AuthSys(0, "host", 1000, 1000, new int[] {4, 24}).toOpaqueAuth();
    assertChargesWhatItAllocates(CODEC, encoding(CODEC, credential));
    assertEquals(recordCharge(2) + opaqueCharge(credential.body().length), charged(CODEC, encoding(CODEC, credential)));
  }

  @Test
  void theSharedEmptyVerifierChargesNothing() {
    assertEquals(0, charged(CODEC, encoding(CODEC, OpaqueAuth.NONE)));
    assertChargesWhatItAllocates(CODEC, encoding(CODEC, OpaqueAuth.NONE));
  }
}
