package org.onyxrpc.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.FaultProxy;
import org.onyxrpc.testing.FaultProxy.Faults;
import org.onyxrpc.transport.Transport;

/** Deadlines, in-progress duplicates, restarts, cancellation: one promise at a time. */
class RetransmissionTest {
  private static final Faults BLACK_HOLE = new Faults(1, 0, 0, 0, 0, 0, 0, 0);

  private static RpcClient client(int port, Duration deadline, Duration attempt) {
    return RpcClient.builder().address("127.0.0.1", port).timeout(deadline).attemptTimeout(attempt).build();
  }

  // That one deadline bounds a call's attempts together, however they back off, is shown on the
  // client's clock, not the machine's: CallTimersTest.theDeadlineBoundsEveryAttemptTogether.

  @Test
  void duplicateOfARunningCallIsDroppedAndTheCallRunsOnce() throws Exception {
    ExecutionLedger ledger = new ExecutionLedger();
    try (RpcServer server = RpcServer.builder().addService(ledger.definition()).build().start();
        RpcClient client = client(server.port(), Duration.ofSeconds(30), Duration.ofMillis(50))) {
      // Runs until the server has dropped two retransmissions of it, however slow the machine.
      ledger.holdUntil = () -> server.stats().duplicatesInProgressDropped() >= 2;
      assertEquals(14L, client.call(ExecutionLedger.RECORD_SLOWLY, 7L));
      assertEquals(1, ledger.executions(7));
      assertTrue(server.stats().duplicatesInProgressDropped() >= 2, server.stats().toString());
      assertTrue(client.stats().retransmissions() >= 2);
    }
  }

  @Test
  void serverRestartMakesTheOutcomeUnknownNotASecondExecution() throws Exception {
    ExecutionLedger ledger = new ExecutionLedger();
    ledger.slowMillis = 500;
    RpcServer server = RpcServer.builder().addService(ledger.definition()).build().start();
    int port = server.port();
    // Through a proxy that keeps listening while the server restarts behind it: the client's
    // reconnects are never refused (a refused one would end the call OUTCOME_UNKNOWN at once,
    // on the client's word), so the call reaches the new server and hears it from there.
    try (FaultProxy proxy = new FaultProxy(port, Faults.NONE, 3);
        RpcClient client = client(proxy.port(), Duration.ofSeconds(10), Duration.ofMillis(100))) {
      client.call(ExecutionLedger.RECORD, 1L); // the client learns the server's epoch
      CompletableFuture<Long> call = client.callAsync(ExecutionLedger.RECORD_SLOWLY, 2L);
      Await.until(() -> ledger.executions(2) != 0); // running now; the reply will never be sent
      server.shutdown(Duration.ZERO);
      server = RpcServer.builder().port(port).addService(ledger.definition()).build().start();
      ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
      RpcException cause = (RpcException) e.getCause();
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, cause.status());
      assertEquals("Ledger.recordSlowly (program 0x20000600 version 1 procedure 3) may have executed:"
          + " it was retransmitted, and server tcp 127.0.0.1:" + proxy.port() + " cannot tell whether an"
          + " earlier transmission ran"
          + " (it restarted, or its duplicate cache forgot the call); it was not run again",
          cause.getMessage());
      assertEquals(1, client.stats().outcomeUnknown());
      assertEquals(1, server.stats().outcomeUnknownReplies());
      // An idempotent call just runs again on the new server.
      assertEquals(6L, client.call(ExecutionLedger.RECORD_IDEMPOTENT, 3L));
    } finally {
      server.close();
    }
    // With the client and the server closed, nothing can run it again: no wait shows more.
    assertEquals(1, ledger.executions(2), "ran once, before the restart");
  }

  @Test
  void cancellingAnAsyncCallStopsItsRetransmissions() throws Exception {
    ExecutionLedger ledger = new ExecutionLedger();
    try (RpcServer server = RpcServer.builder().addService(ledger.definition()).build().start();
        FaultProxy proxy = new FaultProxy(server.port(), Faults.NONE, 2);
        RpcClient client = client(proxy.port(), Duration.ofSeconds(10), Duration.ofMillis(20))) {
      client.call(ExecutionLedger.RECORD, 0L);
      proxy.faults(BLACK_HOLE);
      long before = proxy.requests.sum();
      CompletableFuture<Long> call = client.callAsync(ExecutionLedger.RECORD, 5L);
      Await.until(() -> proxy.requests.sum() - before >= 4); // sent, then retransmitted into the black hole
      call.cancel(true);
      assertTrue(call.isCancelled());
      // That nothing is sent after it is shown on the client's clock, not by sleeping:
      // CallTimersTest.aCancelledCallLeavesNoTimerAndIsNeverSentAgain.
      assertThrows(java.util.concurrent.CancellationException.class, call::join);
    }
  }

  @Test
  void udpRetransmitsLostDatagramsAndTheServerFiltersTheRepeats() throws Exception {
    ExecutionLedger ledger = new ExecutionLedger();
    try (RpcServer server = RpcServer.builder().addService(ledger.definition()).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .transport(Transport.UDP).attemptTimeout(Duration.ofMillis(50)).build()) {
      // Runs until the server has dropped a retransmission of it, however slow the machine (a
      // fixed 200 ms could end before a retransmission when the machine was busy).
      ledger.holdUntil = () -> server.stats().duplicatesInProgressDropped() >= 1;
      assertEquals(18L, client.call(ExecutionLedger.RECORD_SLOWLY, 9L));
      assertEquals(1, ledger.executions(9));
      assertTrue(client.stats().retransmissions() >= 1);
    }
  }

  @Test
  void silentServerTimesOutBeforeTheCallIsEverSent() throws Exception {
    ExecutionLedger ledger = new ExecutionLedger();
    try (RpcServer server = RpcServer.builder().addService(ledger.definition()).build().start();
        FaultProxy proxy = new FaultProxy(server.port(), BLACK_HOLE, 4);
        RpcClient client = client(proxy.port(), Duration.ofMillis(300), Duration.ofMillis(40))) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(ExecutionLedger.RECORD, 1L));
      assertEquals(RpcStatus.TIMEOUT, e.status());
      assertTrue(e.getMessage().endsWith("within 300 ms (not sent: the server did not answer the NULL"
          + " ping that comes first)"), e.getMessage());
      assertEquals(0, client.stats().retransmissions());
    }
  }

  @Test
  void callOptionsOverrideTheProceduresPromise() throws Exception {
    ExecutionLedger ledger = new ExecutionLedger();
    try (RpcServer server = RpcServer.builder().addService(ledger.definition()).build().start();
        FaultProxy proxy = new FaultProxy(server.port(), BLACK_HOLE, 3);
        RpcClient client = client(proxy.port(), Duration.ofMillis(300), Duration.ofMillis(20))) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(ExecutionLedger.RECORD, 1L,
          CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE).withDeadline(Duration.ofMillis(100))));
      assertEquals(RpcStatus.TIMEOUT, e.status());
      assertEquals(0, client.stats().retransmissions());
      // Sent at most once; on a busy machine the 100 ms may end before anything is sent.
      assertTrue(proxy.requests.sum() <= 1, proxy.requests.sum() + " requests");
    }
  }
}
