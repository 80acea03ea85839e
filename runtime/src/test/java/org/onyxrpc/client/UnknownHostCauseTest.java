package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A call to a host whose name does not resolve keeps the resolver's exception as its cause, so
 * that a caller (the CLI's "unknown host" message) tells it by its type, not by the words of the
 * message. Before: the cause was null, the name only in the text.
 */
class UnknownHostCauseTest {
  private static final Procedure<Void, Void> NULL =
      new Procedure<>(0x20000999, 1, 0, "NULL", XdrCodecs.VOID, XdrCodecs.VOID);

  private static RpcClient client(Transport transport) {
    // A deadline a test run never reaches: only the failed resolution can end the calls.
    return RpcClient.builder().address("nosuchhost.invalid", 4801).transport(transport)
        .timeout(Duration.ofMinutes(10)).build();
  }

  @Test
  void aSyncCallsFailureHasTheResolversExceptionUnderTheRethrownOne() {
    try (RpcClient client = client(Transport.TCP)) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(NULL, null));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      assertTrue(e.getMessage().endsWith(": unknown host nosuchhost.invalid"), e.getMessage());
      RpcException found = assertInstanceOf(RpcException.class, e.getCause(), e::toString);
      assertInstanceOf(UnknownHostException.class, found.getCause(), found::toString);
    }
  }

  @Test
  void eachSemanticsAsyncCallFailsWithTheResolversExceptionAsItsCause() throws Exception {
    for (Transport transport : new Transport[] {Transport.TCP, Transport.UDP}) {
      try (RpcClient client = client(transport)) {
        for (CallSemantics semantics : CallSemantics.values()) {
          var call = client.callAsync(NULL, null, CallOptions.DEFAULT.withSemantics(semantics));
          RpcException e = assertInstanceOf(RpcException.class,
              assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES)).getCause());
          String which = transport + " " + semantics + ": " + e;
          assertEquals(RpcStatus.UNAVAILABLE, e.status(), which);
          assertTrue(e.getMessage().endsWith(": unknown host nosuchhost.invalid"), which);
          assertInstanceOf(UnknownHostException.class, e.getCause(), which);
        }
      }
    }
  }
}
