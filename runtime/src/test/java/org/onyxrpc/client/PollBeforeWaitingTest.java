package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The client's window for a caller-runs leader's look before it sleeps ({@code
 * internal.transport.PollBeforeWaitTest} tests the look itself).
 */
class PollBeforeWaitingTest {
  @Test
  void theClientBuilderTakesZeroTo10Milliseconds() {
    RpcClientBuilder builder = RpcClient.builder();
    builder.pollBeforeWaiting(Duration.ZERO).pollBeforeWaiting(Duration.ofMillis(10));
    assertTrue(builder.toString().contains("pollBeforeWaiting=PT0.01S"), builder.toString());
    assertEquals("pollBeforeWaiting must be zero to 10 ms: PT-0.000000001S",
        assertThrows(IllegalArgumentException.class,
            () -> builder.pollBeforeWaiting(Duration.ofNanos(-1))).getMessage());
    assertEquals("pollBeforeWaiting must be zero to 10 ms: PT0.010000001S",
        assertThrows(IllegalArgumentException.class,
            () -> builder.pollBeforeWaiting(Duration.ofNanos(10_000_001))).getMessage());
  }
}
