package org.onyxrpc.internal.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.xdr.XdrException;

/**
 * The AUTH_SYS check a server refuses malformed credentials by, without an exception, says what
 * {@link AuthSys#fromBody} says: null for every body it reads, and its exception's message for
 * every body it throws on.
 */
class AuthSysBodiesTest {
  private static final String CLIENT1_BODY = "6553f100" + "00000007" + "636c69656e743100"
      + "000003e8" + "00000064" + "00000002" + "0000000a" + "00000014";

  /** What fromBody says of {@code body}: null if it reads it, else its exception's message. */
  private static String fromBody(byte[] body) {
    try {
      AuthSys.fromBody(body);
      return null;
    } catch (XdrException e) {
      return e.getMessage();
    }
  }

  private static void agrees(byte[] body) {
    assertEquals(fromBody(body), AuthSysBodies.malformation(body), ByteBufUtil.hexDump(body));
  }

  private static byte[] bytes(String hex) {
    return ByteBufUtil.decodeHexDump(hex);
  }

  @Test
  void saysWhatFromBodySaysOfEachWayABodyIsMalformed() {
    List<String> bodies = List.of(
        CLIENT1_BODY,
        CLIENT1_BODY + "deadbeef", // bytes after the gids: read, as fromBody reads them
        "00000000" + "00000000" + "00000000" + "00000000" + "00000000", // empty name, no gids
        "", "0000", "00000001", "0000000100",
        "00000000" + "00000100" + "61".repeat(256) + "00000000".repeat(3), // name of 256
        "00000000" + "ffffffff" + "00000000".repeat(3), // name of 2^32-1
        "00000000" + "80000000" + "00000000".repeat(3), // a length negative as an int
        "00000000" + "00000009" + "61".repeat(9), // name runs past the body
        "00000000" + "00000005" + "6161616161", // padding missing
        "00000000" + "00000005" + "61616161610000", // padding cut short
        "00000000" + "00000005" + "6161616161000100" + "00000000".repeat(3), // padding not zero
        "00000000" + "00000000" + "00000000", // no gid
        "00000000" + "00000000" + "00000000" + "00000000", // no gids length
        "00000000" + "00000000" + "00000000" + "00000000" + "000000", // gids length cut short
        "00000000" + "00000000" + "00000000" + "00000000" + "00000011" + "00000000".repeat(17),
        "00000000" + "00000000" + "00000000" + "00000000" + "fffffff0",
        "00000000" + "00000000" + "00000000" + "00000000" + "00000003" + "00000000".repeat(2),
        "00000000" + "00000000" + "00000000" + "00000000" + "00000010" + "00000000".repeat(16),
        "00000000" + "000000ff" + "e9".repeat(255) + "00" + "00000000".repeat(3)); // not UTF-8
    for (String body : bodies) {
      agrees(bytes(body));
    }
    byte[] whole = bytes(CLIENT1_BODY);
    for (int length = 0; length <= whole.length; length++) {
      agrees(Arrays.copyOf(whole, length));
    }
    assertNull(AuthSysBodies.malformation(whole));
  }

  /** Every body of up to 400 bytes a few bit flips and cuts away from well-formed ones. */
  @Test
  void agreesWithFromBodyOnMutatedBodies() {
    Random random = new Random(5531);
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(bytes(CLIENT1_BODY));
    int[] sixteen = new int[AuthSys.MAX_GIDS];
    seeds.add(new AuthSys(-1, "m".repeat(255), 1, 2, sixteen).toOpaqueAuth().body());
    seeds.add(new AuthSys(0, "abc", 0, 0, new int[0]).toOpaqueAuth().body());
    for (int i = 0; i < 20_000; i++) {
      byte[] body = seeds.get(random.nextInt(seeds.size())).clone();
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        switch (random.nextInt(4)) {
          case 0 -> body[random.nextInt(body.length)] ^= (byte) (1 << random.nextInt(8));
          case 1 -> body[Math.min(body.length - 1, random.nextInt(body.length) | 3)] =
              (byte) random.nextInt(20); // a word's low byte: a length, most likely
          case 2 -> body = Arrays.copyOf(body, random.nextInt(body.length + 1));
          default -> body = Arrays.copyOf(body, Math.min(400, body.length + random.nextInt(9)));
        }
        if (body.length == 0) {
          break;
        }
      }
      agrees(body);
    }
  }
}
