package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.interop.InteropTypes.Color;
import org.onyxrpc.interop.InteropTypes.Outcome;
import org.onyxrpc.interop.InteropTypes.Point;
import org.onyxrpc.interop.InteropTypes.Profile;
import org.onyxrpc.interop.InteropTypes.Shape;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;

/**
 * An Onyx client against an rpcgen server that answers with values out of their XDR ranges
 * (interop_faulty_server.c "bad-values", whose results are words it writes itself, as a buggy or
 * hostile C server's can be: libtirpc's xdr_bool, xdr_enum and xdr_pointer send any int): a
 * bool of 2, a union discriminant of no arm, a string and an array and an opaque over their
 * bounds, an optional-data flag of 7, a result cut short, a word after it, and a string that says
 * it holds 2 GiB. The procedure ran before each answer, so each is INTERNAL, "cannot decode the
 * result", which says it ran (never UNAVAILABLE, nor OUTCOME_UNKNOWN, which says less), is not
 * sent again even at-least-once (the answer came: nothing was lost), ran once, and the
 * connection serves the next call.
 */
class OutOfRangeValuesFromACServerTest {
  private static final CallOptions AT_LEAST_ONCE =
      CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE);

  @TempDir static Path work;
  private static NativeInterop c;

  @BeforeAll
  static void build() throws Exception {
    c = NativeInterop.buildFaultyServer(work);
  }

  @AfterEach
  void stopServers() throws InterruptedException {
    c.stopProcesses();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void eachValueOutOfRangeIsRefusedAfterItsRun(Transport transport) throws Exception {
    int port = c.startFaultyServer("bad-values");
    // Each title makes the server's answer wrong in one way; what the refusal says of it.
    Map<String, String> refusals = new LinkedHashMap<>();
    refusals.put("bool", "bool must be 0 or 1, got 2");
    refusals.put("arm", "color has no value 3");
    refusals.put("title", "string length 17 bytes exceeds its maximum of 16 bytes");
    refusals.put("values", "array length 9 elements exceeds its maximum of 8 elements");
    refusals.put("blob", "opaque length 9 bytes exceeds its maximum of 8 bytes");
    refusals.put("optional", "optional-data flag must be 0 or 1, got 7");
    refusals.put("truncated", "optional flag needs 4 bytes, only 0 left");
    refusals.put("trailing", "4 bytes after the end of the message");
    // Ten-second attempts: an answer slower than the default second would be resent.
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", port).transport(transport)
        .timeout(Duration.ofSeconds(20)).attemptTimeout(Duration.ofSeconds(10)).build()) {
      Outcome valid = client.call(InteropProgram.TRANSFORM, titled("ok"));
      Profile p = ((Outcome.Value) valid).profile();
      assertEquals(new Point(4, 5), p.origin(), "the server's words make a valid profile");
      assertEquals(Color.RED, p.tint());
      assertTrue(p.flag());
      assertArrayEquals(new int[] {9}, p.values());
      assertEquals(new Shape.Blue(), p.form());

      for (Map.Entry<String, String> refusal : refusals.entrySet()) {
        int before = client.call(InteropProgram.COUNT_RUNS, 0);
        RpcException e = assertThrows(RpcException.class, () -> client.call(
            InteropProgram.TRANSFORM, titled(refusal.getKey()), AT_LEAST_ONCE), refusal::getKey);
        assertEquals(RpcStatus.INTERNAL, e.status(), e::toString);
        assertTrue(e.getMessage().contains("cannot decode the result")
            && e.getMessage().contains(": " + refusal.getValue() + "; "), e::getMessage);
        assertEquals(before + 2, client.call(InteropProgram.COUNT_RUNS, 0),
            refusal.getKey() + " ran once");
      }
      int before = client.call(InteropProgram.COUNT_RUNS, 0);
      RpcException huge = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.GREET, "huge", AT_LEAST_ONCE));
      assertEquals(RpcStatus.INTERNAL, huge.status(), huge::toString);
      // Refused from the bytes that came, before any buffer of 2 GiB.
      assertTrue(huge.getMessage().contains("cannot decode the result") && huge.getMessage()
          .contains("string length 2147483632 needs 2147483632 bytes, only 4 left"),
          huge::getMessage);
      assertEquals(before + 2, client.call(InteropProgram.COUNT_RUNS, 0), "huge ran once");

      assertEquals(0, client.stats().retransmissions(), client.stats()::toString);
      assertEquals("hello, again", client.call(InteropProgram.GREET, "again"), "and it serves on");
      if (transport == Transport.TCP) {
        assertEquals(1, client.stats().connects(), "on its one connection: " + client.stats());
      }
    }
  }

  /** A valid profile with {@code title}, which tells the server how to answer. */
  private static Profile titled(String title) {
    return new Profile(title, Color.RED, true, 1, 2, 0.5, new int[] {1, 2, 3}, new int[] {1},
        new byte[] {1, 2, 3}, new byte[0], new Point(0, 0), null, new Shape.Blue());
  }
}
