package org.onyxrpc.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.onyxrpc.xdr.XdrException;

/** {@link Credentials#of}: decoding a received credential by flavor. */
class CredentialsTest {
  @Test
  void noneDecodesToTheSharedNone() {
    assertSame(Credentials.NONE, Credentials.of(OpaqueAuth.NONE));
    assertSame(OpaqueAuth.NONE, Credentials.NONE.toOpaqueAuth());
    assertEquals("AUTH_NONE", Credentials.NONE.toString());
  }

  @Test
  void authSysBodiesAreParsed() {
    AuthSys sys = new AuthSys(1, "box", 2, 3, new int[] {4});
    assertEquals(sys, Credentials.of(sys.toOpaqueAuth()));
    assertEquals(sys.toOpaqueAuth(), Credentials.of(sys.toOpaqueAuth()).toOpaqueAuth());
  }

  @Test
  void malformedAuthSysIsAnXdrException() {
    assertThrows(XdrException.class,
        () -> Credentials.of(new OpaqueAuth(OpaqueAuth.AUTH_SYS, new byte[] {0, 0, 0})));
  }

  @Test
  void otherFlavorsAreKeptRaw() {
    OpaqueAuth gss = new OpaqueAuth(OpaqueAuth.RPCSEC_GSS, new byte[] {1, 2, 3});
    Credentials c = Credentials.of(gss);
    assertEquals(new Credentials.Unrecognized(gss), c);
    assertSame(gss, c.toOpaqueAuth());
  }
}
