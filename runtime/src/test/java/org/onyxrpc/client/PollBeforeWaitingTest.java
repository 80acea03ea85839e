package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The client's window for a sync caller's look before it sleeps ({@code
 * internal.transport.PollBeforeWaitTest} tests the look and the window's bounds).
 */
class PollBeforeWaitingTest {
  @Test
  void theClientBuilderTakesTheWindowWithinItsBounds() {
    RpcClientBuilder builder = RpcClient.builder().pollBeforeWaiting(Duration.ofMillis(10));
    assertTrue(builder.toString().contains("pollBeforeWaiting=PT0.01S"), builder.toString());
    assertThrows(IllegalArgumentException.class,
        () -> builder.pollBeforeWaiting(Duration.ofNanos(-1)));
  }
}
