package org.onyxrpc.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.onyxrpc.xdr.XdrException;

/** RFC 5531 Appendix A AUTH_SYS bodies: layout, bounds and malformed input. */
class AuthSysTest {
  private static final AuthSys CLIENT1 =
      new AuthSys(1700000000, "client1", 1000, 100, new int[] {10, 20});
  private static final String CLIENT1_BODY = "6553f100" + "00000007" + "636c69656e743100"
      + "000003e8" + "00000064" + "00000002" + "0000000a" + "00000014";

  private static byte[] bytes(String hex) {
    return ByteBufUtil.decodeHexDump(hex);
  }

  @Test
  void bodyIsStampMachineUidGidGids() {
    OpaqueAuth auth = CLIENT1.toOpaqueAuth();
    assertEquals(OpaqueAuth.AUTH_SYS, auth.flavor());
    assertEquals(CLIENT1_BODY, ByteBufUtil.hexDump(auth.body()));
    assertEquals(CLIENT1, AuthSys.fromBody(auth.body()));
  }

  @Test
  void limitsRoundTrip() {
    int[] gids = new int[AuthSys.MAX_GIDS];
    gids[15] = -1;
    AuthSys max = new AuthSys(-1, "\u00e9".repeat(127) + "x", -2, 0x80000000, gids);
    OpaqueAuth auth = max.toOpaqueAuth();
    assertEquals(4 + 4 + 256 + 4 + 4 + 4 + 64, auth.body().length);
    assertEquals(max, AuthSys.fromBody(auth.body()));
    assertEquals(new AuthSys(0, "", 0, 0, new int[0]),
        AuthSys.fromBody(new AuthSys(0, "", 0, 0, new int[0]).toOpaqueAuth().body()));
  }

  @Test
  void constructorRejectsMoreThanSixteenGids() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AuthSys(0, "h", 0, 0, new int[17]));
    assertEquals("AUTH_SYS allows at most 16 gids, got 17", e.getMessage());
  }

  @Test
  void constructorRejectsMachineNamesOverTwoHundredFiftyFiveBytes() {
    new AuthSys(0, "m".repeat(255), 0, 0, new int[0]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AuthSys(0, "\u00e9".repeat(128), 0, 0, new int[0]));
    assertEquals("AUTH_SYS machine name is at most 255 bytes of UTF-8, got 256", e.getMessage());
  }

  @Test
  void seventeenGidsOnTheWireAreRejected() {
    String body = "00000000" + "00000000" + "00000000" + "00000000" + "00000011"
        + "00000000".repeat(17);
    XdrException e = assertThrows(XdrException.class, () -> AuthSys.fromBody(bytes(body)));
    assertEquals("array length 17 elements exceeds its maximum of 16 elements", e.getMessage());
  }

  @Test
  void machineNameOverTwoHundredFiftyFiveOnTheWireIsRejected() {
    String body = "00000000" + "00000100" + "61".repeat(256) + "000000000000000000000000";
    assertThrows(XdrException.class, () -> AuthSys.fromBody(bytes(body)));
  }

  /**
   * A C client's host name is its bytes, UTF-8 or not: 255 bytes of Latin-1 (libtirpc takes
   * them) are a credential, each byte that is not UTF-8 read as '?'. Before, each was read as
   * U+FFFD, three bytes of UTF-8, and the record refused the name as over 255 bytes: the server
   * answered every call AUTH_BADCRED.
   */
  @Test
  void aMachineNameThatIsNotUtf8IsReadByteForByte() {
    String body = "00000000" + "000000ff" + "e9".repeat(254) + "7a" + "00" + "000003e8" + "00000064" + "00000000";
    AuthSys sys = AuthSys.fromBody(bytes(body));
    assertEquals("?".repeat(254) + "z", sys.machineName());
    assertEquals(1000, sys.uid());
    String mixed = "00000000" + "00000007" + "636166e9c3a97a" + "00" + "00000000" + "00000000" + "00000000";
    assertEquals("caf?\u00e9z", AuthSys.fromBody(bytes(mixed)).machineName());
  }

  @Test
  void truncatedBodiesAreXdrExceptions() {
    byte[] whole = bytes(CLIENT1_BODY);
    for (int length = 0; length < whole.length; length++) {
      byte[] prefix = Arrays.copyOf(whole, length);
      assertThrows(XdrException.class, () -> AuthSys.fromBody(prefix));
    }
  }

  @Test
  void equalityComparesGidContents() {
    assertEquals(CLIENT1, new AuthSys(1700000000, "client1", 1000, 100, new int[] {10, 20}));
    assertEquals(CLIENT1.hashCode(),
        new AuthSys(1700000000, "client1", 1000, 100, new int[] {10, 20}).hashCode());
    assertNotEquals(CLIENT1, new AuthSys(1700000000, "client1", 1000, 100, new int[] {10}));
    assertNotEquals(CLIENT1, new AuthSys(1, "client1", 1000, 100, new int[] {10, 20}));
  }

  @Test
  void toStringShowsIdsUnsigned() {
    assertEquals("AUTH_SYS[host uid=4294967295 gid=0 gids=[1]]",
        new AuthSys(0, "host", -1, 0, new int[] {1}).toString());
  }
}
