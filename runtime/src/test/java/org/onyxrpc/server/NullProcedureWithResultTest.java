package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A program that declares procedure 0 with a result, as rpcgen allows (OpenSolaris' {@code
 * metacl.x}: {@code mdc_bind_res_t mdc_null(void) = 0}): the server runs it rather than answering
 * it as the NULL ping, and pings (the client's own, before its first retransmitting call, and
 * {@link RpcClient#ping}) still work although the reply carries a body.
 */
class NullProcedureWithResultTest {
  private static final int PROGRAM = 0x20000510;
  private static final Procedure<Void, String> NULL_WITH_RESULT = new Procedure<>(PROGRAM, 1, 0,
      "Bound.null", XdrCodecs.VOID, XdrCodecs.STRING, CallSemantics.AT_MOST_ONCE);
  private static final Procedure<Integer, Integer> TWICE = new Procedure<>(PROGRAM, 1, 1,
      "Bound.twice", XdrCodecs.INT, XdrCodecs.INT, CallSemantics.AT_MOST_ONCE);

  private final AtomicInteger nullRuns = new AtomicInteger();
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestTransport.server()
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(NULL_WITH_RESULT, (args, context) -> "bound " + nullRuns.incrementAndGet())
            .procedure(TWICE, (n, context) -> 2 * n)
            .build())
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void procedureZeroRunsTheImplementationAndReturnsItsResult() {
    try (RpcClient client = TestTransport.client(server).build()) {
      // The client's own NULL ping, before its first at-most-once call, ran it once already.
      assertEquals("bound 2", client.call(NULL_WITH_RESULT, null));
      assertEquals("bound 3", client.call(NULL_WITH_RESULT, null));
      assertEquals("bound 4", client.call(NULL_WITH_RESULT.withSemantics(CallSemantics.MAYBE), null));
    }
  }

  @Test
  void theClientsOwnPingBeforeItsFirstAtMostOnceCallReadsPastTheBody() {
    try (RpcClient client = TestTransport.client(server).build()) {
      assertEquals(42, client.call(TWICE, 21)); // the NULL ping that comes first ran procedure 0
      assertEquals(1, nullRuns.get());
    }
  }

  @Test
  void aPingStillSucceeds() {
    try (RpcClient client = TestTransport.client(server).build()) {
      client.ping(PROGRAM, 1);
      assertEquals(1, nullRuns.get());
    }
  }
}
