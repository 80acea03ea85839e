package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.testing.Allocations;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * Calls whose AUTH_SYS credential is malformed, as a hostile peer floods them: each is refused
 * AUTH_BADCRED, byte for byte as before, by a refusal that fills in no stack trace (each of the
 * two it filled in, an XdrException's and the RpcException's, cost more than the rest of the
 * refusal on the I/O thread).
 */
class MalformedCredentialsTest {
  /** Test.add(2, 3)'s arguments, after the credential. */
  private static final byte[] ADD_ARGS = {0, 0, 0, 2, 0, 0, 0, 3};
  /** Malformed AUTH_SYS bodies, each with its reason in the refusal's message. */
  private static final List<String[]> MALFORMED = List.of(
      new String[] {"00000001", "opaque length needs 4 bytes, only 0 left"}, // truncated
      new String[] {"00000000" + "00000100" + "61".repeat(256) + "00000000".repeat(3),
          "opaque length 256 bytes exceeds its maximum of 255 bytes"}, // machine name too long
      new String[] {"00000000" + "00000000" + "00000000" + "00000000" + "00000011"
          + "00000000".repeat(17), "array length 17 elements exceeds its maximum of 16 elements"},
      new String[] {"00000000" + "00000009" + "6161616161616161",
          "opaque length 9 needs 9 bytes, only 8 left"}, // a length past the body
      new String[] {"00000000" + "00000001" + "61000100" + "00000000".repeat(3),
          "padding must be zero"},
      new String[] {"00000000" + "00000000" + "00000000" + "00000000" + "00000002" + "00000000",
          "array length 2 needs at least 8 bytes, only 4 left"}); // gids cut short

  private static RpcServer server;

  @BeforeAll
  static void start() throws Exception {
    server = RpcServer.builder().addService(new TestService().definition()).build().start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static byte[] call(int xid, String body) {
    return RawTcpPeer.call(xid, CallHeader.RPC_VERSION, TestService.PROGRAM, 1, 1,
        new OpaqueAuth(OpaqueAuth.AUTH_SYS, ByteBufUtil.decodeHexDump(body)), ADD_ARGS);
  }

  /** xid, REPLY, MSG_DENIED, AUTH_ERROR, AUTH_BADCRED: RFC 5531's rejected reply. */
  private static byte[] badcred(int xid) {
    return new byte[] {0, 0, 0, (byte) xid, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1};
  }

  @Test
  void eachIsRefusedAuthBadcredOverTcp() throws Exception {
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      for (int i = 0; i < MALFORMED.size(); i++) {
        peer.sendRecord(call(i + 1, MALFORMED.get(i)[0]));
        assertArrayEquals(badcred(i + 1), peer.readRecord(), MALFORMED.get(i)[1]);
      }
      // The connection still serves a well-formed credential.
      peer.sendRecord(call(100, "00000000" + "00000001" + "61000000" + "00000000".repeat(3)));
      assertEquals(100, peer.readReply().xid());
    }
  }

  @Test
  void eachIsRefusedAuthBadcredOverUdp() throws Exception {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(5_000);
      InetAddress loopback = InetAddress.getLoopbackAddress();
      for (int i = 0; i < MALFORMED.size(); i++) {
        byte[] call = call(i + 1, MALFORMED.get(i)[0]);
        socket.send(new DatagramPacket(call, call.length, loopback, server.port()));
        DatagramPacket reply = new DatagramPacket(new byte[64], 64);
        socket.receive(reply);
        assertArrayEquals(badcred(i + 1),
            Arrays.copyOf(reply.getData(), reply.getLength()), MALFORMED.get(i)[1]);
      }
    }
  }

  private static CallHeader header(String body) {
    return CallHeader.of(1, TestService.PROGRAM, 1, 1,
        new OpaqueAuth(OpaqueAuth.AUTH_SYS, ByteBufUtil.decodeHexDump(body)));
  }

  /**
   * A refusal costs about what accepting a well-formed credential does, counted by the JVM (not
   * timed): the credential is read once, by AuthSys.fromBody, whose exception fills in no stack
   * trace. Fails before AuthSys.fromBody's exception lost its stack trace (with AuthSysBodies
   * gone): a refusal allocated 2,488 bytes, an acceptance 416 (448 for a refusal now).
   */
  @Test
  void aRefusalAllocatesAboutWhatAcceptingACredentialDoes() {
    CallHeader good = header("6553f100" + "00000007" + "636c69656e743100" + "000003e8"
        + "00000064" + "00000002" + "0000000a" + "00000014");
    long accepted = Allocations.of(() -> {
      for (int i = 0; i < 1000; i++) {
        Authenticator.DEFAULT.authenticate(good);
      }
    });
    for (String[] malformed : MALFORMED) {
      CallHeader bad = header(malformed[0]);
      long refused = Allocations.of(() -> {
        for (int i = 0; i < 1000; i++) {
          try {
            Authenticator.DEFAULT.authenticate(bad);
          } catch (RpcException e) {
            // refused, as each is
          }
        }
      });
      assertTrue(refused <= 2 * accepted + 16_384,
          "1000 refusals allocated " + refused + " bytes, 1000 acceptances " + accepted + ": "
              + malformed[1]);
    }
  }

  /** Fails before: both refusals filled in a stack trace, the XdrException as the cause's. */
  @Test
  void theDefaultAuthenticatorRefusesWithoutAStackTrace() {
    for (String[] malformed : MALFORMED) {
      RpcException e = assertThrows(RpcException.class, () -> Authenticator.DEFAULT.authenticate(
          CallHeader.of(1, TestService.PROGRAM, 1, 1,
              new OpaqueAuth(OpaqueAuth.AUTH_SYS, ByteBufUtil.decodeHexDump(malformed[0])))));
      assertEquals(AuthStatus.AUTH_BADCRED, e.authStatus());
      assertEquals("malformed AUTH_SYS credential: " + malformed[1], e.getMessage());
      assertEquals(0, e.getStackTrace().length, malformed[1]);
      assertNull(e.getCause());
    }
    RpcException other = assertThrows(RpcException.class, () -> Authenticator.DEFAULT.authenticate(
        CallHeader.of(1, TestService.PROGRAM, 1, 1,
            new OpaqueAuth(OpaqueAuth.RPCSEC_GSS, new byte[4]))));
    assertEquals(AuthStatus.AUTH_REJECTEDCRED, other.authStatus());
    assertEquals(0, other.getStackTrace().length);
  }
}
