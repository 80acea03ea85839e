package org.onyxrpc.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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
      assertEquals(0, assertThrows(XdrException.class, () -> AuthSys.fromBody(prefix))
          .getStackTrace().length);
    }
  }

  /**
   * Each way a body is malformed, with the reason a server's AUTH_BADCRED refusal says; the
   * exception fills in no stack trace (a server makes one per malformed credential a peer sends,
   * on its I/O thread). The stack trace fails before; the messages are those AuthSysBodies was
   * held to, which the server said before fromBody read the body.
   */
  @Test
  void malformedBodiesAreRefusedWithTheirReasonAndNoStackTrace() {
    String[][] malformed = {
        {"", "unsigned int needs 4 bytes, only 0 left"}, // no stamp
        {"0000", "unsigned int needs 4 bytes, only 2 left"},
        {"00000001", "opaque length needs 4 bytes, only 0 left"}, // no machine name
        {"0000000100", "opaque length needs 4 bytes, only 1 left"},
        {"00000000" + "00000100" + "61".repeat(256) + "00000000".repeat(3),
            "opaque length 256 bytes exceeds its maximum of 255 bytes"},
        {"00000000" + "ffffffff" + "00000000".repeat(3),
            "opaque length 4294967295 bytes exceeds its maximum of 255 bytes"},
        {"00000000" + "80000000" + "00000000".repeat(3), // negative as an int
            "opaque length 2147483648 bytes exceeds its maximum of 255 bytes"},
        {"00000000" + "00000009" + "61".repeat(9), "opaque needs 12 bytes, only 9 left"},
        {"00000000" + "0000000a" + "61".repeat(9), "opaque length 10 needs 10 bytes, only 9 left"},
        {"00000000" + "00000005" + "6161616161", "opaque needs 8 bytes, only 5 left"}, // no padding
        {"00000000" + "00000005" + "61616161610000", "opaque needs 8 bytes, only 7 left"},
        {"00000000" + "00000005" + "6161616161000100" + "00000000".repeat(3),
            "padding must be zero"},
        {"00000000" + "00000000" + "00000000", "unsigned int needs 4 bytes, only 0 left"}, // gid
        {"00000000" + "00000000" + "00000000" + "00000000",
            "array length needs 4 bytes, only 0 left"}, // no gids
        {"00000000" + "00000000" + "00000000" + "00000000" + "000000",
            "array length needs 4 bytes, only 3 left"},
        {"00000000" + "00000000" + "00000000" + "00000000" + "fffffff0",
            "array length 4294967280 elements exceeds its maximum of 16 elements"},
        {"00000000" + "00000000" + "00000000" + "00000000" + "00000003" + "00000000".repeat(2),
            "array length 3 needs at least 12 bytes, only 8 left"},
        {"00000000" + "00000000" + "00000000" + "00000000" + "00000002" + "00000000",
            "array length 2 needs at least 8 bytes, only 4 left"}};
    for (String[] body : malformed) {
      XdrException e = assertThrows(XdrException.class, () -> AuthSys.fromBody(bytes(body[0])));
      assertEquals(body[1], e.getMessage(), body[0]);
      assertEquals(0, e.getStackTrace().length, body[1]);
    }
    // Bytes after the gids are not read, as libtirpc's xdr_authunix_parms does not.
    assertEquals(CLIENT1, AuthSys.fromBody(bytes(CLIENT1_BODY + "deadbeef")));
  }

  /**
   * Bodies of up to 400 bytes a few bit flips and cuts away from well-formed ones: each is read,
   * or refused with an XdrException (never another exception, such as an index out of bounds, or
   * the record's IllegalArgumentException).
   */
  @Test
  void mutatedBodiesAreReadOrRefusedWithAnXdrException() {
    Random random = new Random(5531);
    List<byte[]> seeds = List.of(bytes(CLIENT1_BODY),
        new AuthSys(-1, "m".repeat(255), 1, 2, new int[AuthSys.MAX_GIDS]).toOpaqueAuth().body(),
        new AuthSys(0, "abc", 0, 0, new int[0]).toOpaqueAuth().body());
    int read = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] body = seeds.get(random.nextInt(seeds.size())).clone();
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits && body.length > 0; e++) {
        switch (random.nextInt(4)) {
          case 0 -> body[random.nextInt(body.length)] ^= (byte) (1 << random.nextInt(8));
          case 1 -> body[Math.min(body.length - 1, random.nextInt(body.length) | 3)] =
              (byte) random.nextInt(20); // a word's low byte: a length, most likely
          case 2 -> body = Arrays.copyOf(body, random.nextInt(body.length + 1));
          default -> body = Arrays.copyOf(body, Math.min(400, body.length + random.nextInt(9)));
        }
      }
      try {
        AuthSys.fromBody(body);
        read++;
      } catch (XdrException e) {
        assertEquals(0, e.getStackTrace().length, e.getMessage());
      }
    }
    assertTrue(read > 1000 && read < 19_000, read + " of 20,000 read"); // both ways were tried
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

  /**
   * The machine name is the caller's: printed as it came, a line break in it made a log line of
   * its own ("AUTH_SYS[host", then "INFO forged uid=0 ...").
   */
  @Test
  void toStringEscapesALineBreakTheCallerPutInItsMachineName() {
    assertEquals("AUTH_SYS[host\\x0aINFO forged\\u2028 uid=0 gid=0 gids=[]]",
        new AuthSys(0, "host\nINFO forged\u2028", 0, 0, new int[0]).toString());
  }
}
