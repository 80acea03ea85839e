package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A client and a server built from two versions of one IDL (a parameter or a result changed
 * type): the failure says what the caller should check first.
 */
class SchemaMismatchTest {
  private static final int PROGRAM = 0x20007711;
  /** The server's version of the procedure: an int in, an int out. */
  private static final Procedure<Integer, Integer> SERVED =
      new Procedure<>(PROGRAM, 1, 1, "Counter.next", XdrCodecs.INT, XdrCodecs.INT);

  private static RpcException call(Procedure<?, ?> asked) throws Exception {
    try (RpcServer server = RpcServer.builder().inProcess("schema-mismatch")
            .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(SERVED, (n, context) -> n + 1).build())
            .build().start();
        RpcClient client = RpcClient.builder().inProcess("schema-mismatch").build()) {
      @SuppressWarnings("unchecked")
      Procedure<Object, ?> procedure = (Procedure<Object, ?>) asked;
      Object argument = asked.name().endsWith("byName") ? "seven" : (Object) 7;
      return assertThrows(RpcException.class, () -> client.call(procedure, argument));
    }
  }

  @Test
  void argumentsTheServerCannotDecodeAskWhetherTheIdlIsTheSame() throws Exception {
    RpcException e = call(new Procedure<>(PROGRAM, 1, 1, "Counter.byName", XdrCodecs.STRING, XdrCodecs.INT));
    assertEquals(RpcStatus.GARBAGE_ARGS, e.status(), e.getMessage());
    assertTrue(e.getMessage().endsWith(" (are client and server built from the same IDL?)"), e.getMessage());
  }

  @Test
  void aResultTheClientCannotDecodeAsksWhetherTheIdlIsTheSame() throws Exception {
    RpcException e = call(new Procedure<>(PROGRAM, 1, 1, "Counter.next", XdrCodecs.INT, XdrCodecs.HYPER));
    assertEquals(RpcStatus.INTERNAL, e.status(), e.getMessage());
    assertTrue(e.getMessage().startsWith("cannot decode the result of Counter.next"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; are client and server built from the same IDL?"), e.getMessage());
  }
}
