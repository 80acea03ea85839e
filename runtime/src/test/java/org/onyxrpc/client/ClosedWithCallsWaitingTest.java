package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A client closed while a call waits to go out (for the NULL ping that goes before its first
 * retransmitting call, to a server slow to answer it) fails that call CANCELLED "not sent": it did
 * not run, and may be made again elsewhere. Before, it was "client to tcp 127.0.0.1:… closed
 * before the reply to Waiting.record (…)", which RpcStatus.CANCELLED reads as "may have run".
 */
class ClosedWithCallsWaitingTest {
  private static final Procedure<Long, Long> RECORD =
      new Procedure<>(0x20000602, 1, 1, "Waiting.record", XdrCodecs.HYPER, XdrCodecs.HYPER);

  private final PingHoldingServer server;

  ClosedWithCallsWaitingTest() throws IOException {
    server = new PingHoldingServer(99, 1);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void aCallThatNeverWentOutIsNotSentWhenItsClientCloses() throws Exception {
    RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
        .timer(new ManualTimer()).timeout(Duration.ofSeconds(100)).build();
    CompletableFuture<Long> call = client.callAsync(RECORD, 1L,
        CallOptions.DEFAULT.withSemantics(CallSemantics.AT_MOST_ONCE));
    assertTrue(server.pingRead.await(1, TimeUnit.MINUTES));
    client.close();
    ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES));
    RpcException e = assertInstanceOf(RpcException.class, failed.getCause());
    assertEquals(RpcStatus.CANCELLED, e.status(), e::toString);
    assertTrue(e.getMessage().contains("not sent"), e::getMessage);
    assertEquals(List.of(), server.seen, "the calls the server ran");
  }
}
