package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.TestService;

/**
 * A retransmitting call whose connection is lost goes again on a new one within about a second,
 * whatever its attempt timeout: that is how long a server may take to answer, not how soon it may
 * be back. With a long poll's attempt timeout of a minute the call waited a quarter of it, 12 to
 * 18 s, before finding that nothing listened any more (newuser43: a caller learnt 17 s late that
 * its server had shut down in 258 ms).
 */
class ReconnectAfterALostConnectionTest {
  @Test
  void aCallWithALongAttemptTimeoutGoesAgainWithinASecondOfItsConnectionsLoss() throws Exception {
    TestService service = new TestService();
    RpcServer server = RpcServer.builder().port(0).addService(service.definition()).build().start();
    ManualTimer clock = new ManualTimer();
    try (RpcClient client = clock.timing(RpcClient.builder().address("127.0.0.1", server.port())
        .timeout(Duration.ofMinutes(10)).attemptTimeout(Duration.ofMinutes(1))).build()) {
      CompletableFuture<Integer> call = client.callAsync(TestService.HOLD, 7,
          CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE));
      Await.until(() -> service.holding.get() == 1);
      server.shutdown(Duration.ZERO); // cuts the held call off and stops listening
      assertTrue(clock.awaitDueWithin(Duration.ofMillis(1200), Duration.ofSeconds(30)),
          "no timer within 1.2 s of the connection's loss: the call waits longer to go again");
      clock.advance(Duration.ofMillis(1200));
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> call.get(1, TimeUnit.MINUTES));
      RpcException e = assertInstanceOf(RpcException.class, failed.getCause());
      // It ran, then nothing listened.
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e::toString);
    } finally {
      service.gate.countDown();
      server.close();
    }
  }
}
