package org.onyxrpc.examples.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.examples.calculator.CalculatorV1;
import org.onyxrpc.examples.calculator.DivideByZero;
import org.onyxrpc.examples.calculator.Parity;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.Authenticator;
import org.onyxrpc.server.RpcServer;

/**
 * Two rows of README's Coming from gRPC. {@code Status.withDescription}: the status reaches the
 * caller, the description does not (an ONC RPC reply carries no text), so what a caller must read
 * goes in a declared exception's fields. {@code CallCredentials} (a bearer token in a header):
 * a credential flavor of the application's own, which the client sends on every call and the
 * server's {@link Authenticator} checks before the call is queued.
 */
class StatusAndTokenTest {
  /** A flavor number of the application's own (RFC 5531 leaves the choice to the two ends). */
  static final int TOKEN_FLAVOR = 0x4f4e5854;
  private static final byte[] TOKEN = "s3cret-token".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NEXT_TOKEN = "next-token".getBytes(StandardCharsets.US_ASCII);
  /** The token the server accepts besides TOKEN, once rotated in. */
  private static volatile byte[] rotatedIn = TOKEN;

  private static RpcServer server;

  private static final class Strict implements CalculatorV1.Calculator {
    @Override
    public long add(long a, long b) {
      if (a < 0) {
        // what a gRPC service writes as Status.INVALID_ARGUMENT.withDescription(...)
        throw new RpcException(RpcStatus.GARBAGE_ARGS, "a must not be negative");
      }
      return a + b;
    }

    @Override
    public long divide(long a, long b) throws DivideByZero {
      if (b == 0) {
        throw new DivideByZero("cannot divide " + a + " by zero"); // the detail travels here
      }
      return a / b;
    }

    @Override
    public Parity parity(long value) {
      return Parity.EVEN;
    }
  }

  /** Admits the calls that carry a token it accepts (the NULL pings too), refuses the rest. */
  static Credentials checkToken(org.onyxrpc.rpc.CallHeader call) {
    OpaqueAuth credential = call.credential();
    if (credential.flavor() != TOKEN_FLAVOR
        || !(Arrays.equals(credential.body(), TOKEN) || Arrays.equals(credential.body(), rotatedIn))) {
      throw RpcException.authError(AuthStatus.AUTH_BADCRED, "no valid token");
    }
    return Credentials.of(credential);
  }

  @BeforeAll
  static void start() throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .addService(CalculatorV1.bind(new Strict()))
        .authenticator(StatusAndTokenTest::checkToken)
        .build().start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static RpcClient client(byte[] token) {
    return RpcClient.builder().address("localhost", server.port())
        .credentials(Credentials.opaque(TOKEN_FLAVOR, token))
        .build();
  }

  @Test
  void aStatusReachesTheCallerAndItsDescriptionStaysOnTheServer() {
    try (RpcClient rpc = client(TOKEN)) {
      RpcException e = assertThrows(RpcException.class, () -> CalculatorV1.newClient(rpc).add(-1, 2));
      assertEquals(RpcStatus.GARBAGE_ARGS, e.status());
      assertFalse(e.getMessage().contains("must not be negative"), e.getMessage());
    }
  }

  @Test
  void aDeclaredExceptionCarriesItsDetail() {
    try (RpcClient rpc = client(TOKEN)) {
      DivideByZero e = assertThrows(DivideByZero.class, () -> CalculatorV1.newClient(rpc).divide(7, 0));
      assertEquals("cannot divide 7 by zero", e.message());
    }
  }

  /**
   * A token that expires, as an OAuth access token does, goes with each call (grpc-java's {@code
   * withCallCredentials} is {@code CallOptions.withCredentials}): the client stays, and a stub
   * made with the call's options sends the token they hold in place of the client's.
   */
  @Test
  void aRotatedTokenGoesWithTheCallsOfTheSameClient() {
    try (RpcClient rpc = client(TOKEN)) {
      rotatedIn = NEXT_TOKEN;
      CallOptions next = CallOptions.DEFAULT.withCredentials(Credentials.opaque(TOKEN_FLAVOR, NEXT_TOKEN));
      assertEquals(3, CalculatorV1.newClient(rpc, next).add(1, 2));
      CallOptions stale = CallOptions.DEFAULT.withCredentials(
          Credentials.opaque(TOKEN_FLAVOR, "stale".getBytes(StandardCharsets.US_ASCII)));
      RpcException e = assertThrows(RpcException.class, () -> CalculatorV1.newClient(rpc, stale).add(1, 2));
      assertEquals(AuthStatus.AUTH_BADCRED, e.authStatus());
      assertEquals(3, CalculatorV1.newClient(rpc).add(1, 2), "the client's own token, without options");
    } finally {
      rotatedIn = TOKEN;
    }
  }

  @Test
  void aTokenInACredentialOfOnesOwnIsCheckedOnEveryCall() {
    try (RpcClient rpc = client(TOKEN)) {
      assertEquals(3, CalculatorV1.newClient(rpc).add(1, 2));
    }
    try (RpcClient rpc = client("wrong".getBytes(StandardCharsets.US_ASCII))) {
      RpcException e = assertThrows(RpcException.class, () -> CalculatorV1.newClient(rpc).add(1, 2));
      assertEquals(RpcStatus.AUTH_ERROR, e.status());
      assertEquals(AuthStatus.AUTH_BADCRED, e.authStatus());
      assertTrue(e.getMessage().contains("AUTH_BADCRED") || e.getMessage().contains("credential"), e.getMessage());
    }
  }
}
