package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;

/**
 * "No deadline" written as the longest duration Java has ({@code ChronoUnit.FOREVER}) is a
 * deadline no call outlives, not an ArithmeticException ("long overflow") from the call.
 */
class LongestTimeoutsTest {
  private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

  @Test
  void foreverIsTakenAsTheLongestTimeout() {
    assertEquals(CallOptions.LONGEST, CallOptions.DEFAULT.withDeadline(FOREVER).deadline());
    assertEquals(CallOptions.LONGEST, CallOptions.DEFAULT.withAttemptTimeout(FOREVER).attemptTimeout());
    assertEquals(Duration.ofSeconds(5), CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(5)).deadline());
  }

  @Test
  void callsWithoutEndTimeoutsAreAnswered() throws Exception {
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .idleTimeout(FOREVER).shutdownTimeout(FOREVER)
            .addService(new TestService().definition()).build().start();
        RpcClient client = RpcClient.builder().address("localhost", server.port())
            .timeout(FOREVER).attemptTimeout(FOREVER).connectTimeout(FOREVER).build()) {
      TestService.Pair pair = new TestService.Pair(2, 40);
      assertEquals(42, client.call(TestService.ADD, pair));
      for (CallSemantics semantics : CallSemantics.values()) {
        assertEquals(42, client.call(TestService.ADD, pair,
            CallOptions.DEFAULT.withSemantics(semantics).withDeadline(FOREVER).withAttemptTimeout(FOREVER)));
      }
    }
  }
}
