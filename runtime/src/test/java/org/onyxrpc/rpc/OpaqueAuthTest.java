package org.onyxrpc.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.onyxrpc.xdr.Bufs;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrException;

/** RFC 5531 §8.2 opaque_auth: a flavor and at most 400 bytes. */
class OpaqueAuthTest {
  private static final XdrCodec<OpaqueAuth> CODEC =
      XdrCodecs.of((out, auth) -> auth.encode(out), OpaqueAuth::decode);

  @Test
  void noneIsFlavorZeroWithAnEmptyBody() {
    assertEquals("0000000000000000", Bufs.encodeHex(CODEC, OpaqueAuth.NONE));
    assertSame(OpaqueAuth.NONE, Bufs.decodeAll(CODEC, "0000000000000000"));
  }

  @Test
  void bodyIsPaddedOpaque() {
    OpaqueAuth auth = new OpaqueAuth(OpaqueAuth.AUTH_TLS, new byte[] {0x53, 0x54, 0x41});
    assertEquals("00000007" + "00000003" + "53544100", Bufs.encodeHex(CODEC, auth));
    assertEquals(auth, Bufs.decodeAll(CODEC, "000000070000000353544100"));
  }

  @Test
  void noneFlavorWithABodyIsKeptAsSent() {
    OpaqueAuth odd = Bufs.decodeAll(CODEC, "000000000000000101000000");
    assertEquals(new OpaqueAuth(OpaqueAuth.AUTH_NONE, new byte[] {1}), odd);
  }

  @Test
  void fourHundredBytesIsTheLimit() {
    OpaqueAuth full = new OpaqueAuth(OpaqueAuth.AUTH_DH, new byte[400]);
    assertEquals(full, Bufs.roundTrip(CODEC, full));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new OpaqueAuth(OpaqueAuth.AUTH_DH, new byte[401]));
    assertEquals("auth body of 401 bytes exceeds 400", e.getMessage());
  }

  @Test
  void bodyOverFourHundredOnTheWireIsRejected() {
    assertThrows(XdrException.class,
        () -> Bufs.decodeAll(CODEC, "00000001" + "00000191" + "00".repeat(404)));
    assertThrows(XdrException.class, () -> Bufs.decodeAll(CODEC, "00000001ffffffff"));
  }

  @Test
  void equalityIsByFlavorAndBodyContent() {
    OpaqueAuth a = new OpaqueAuth(1, new byte[] {1, 2});
    assertEquals(a, new OpaqueAuth(1, new byte[] {1, 2}));
    assertEquals(a.hashCode(), new OpaqueAuth(1, new byte[] {1, 2}).hashCode());
    assertNotEquals(a, new OpaqueAuth(2, new byte[] {1, 2}));
    assertNotEquals(a, new OpaqueAuth(1, new byte[] {1, 3}));
    assertEquals("OpaqueAuth[flavor=1, 2 bytes]", a.toString());
  }

  @Test
  void flavorNumbersFollowTheRfcs() {
    assertEquals(0, OpaqueAuth.AUTH_NONE);
    assertEquals(1, OpaqueAuth.AUTH_SYS);
    assertEquals(2, OpaqueAuth.AUTH_SHORT);
    assertEquals(3, OpaqueAuth.AUTH_DH);
    assertEquals(6, OpaqueAuth.RPCSEC_GSS);
    assertEquals(7, OpaqueAuth.AUTH_TLS);
  }
}
