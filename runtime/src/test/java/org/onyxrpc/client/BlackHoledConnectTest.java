package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.BlackHole;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * A server whose address drops SYNs (a listener whose backlog is full): an at-most-once call's
 * NULL ping, which goes first, times out (the attempt timeout) while its connection is still
 * being made, and the connect then fails at the connect timeout. The call never left: it fails
 * UNAVAILABLE then, as a call waiting on a connect does. Before, it was tried again until its
 * deadline and ended TIMEOUT "(not sent: the connection was still being set up …)", so a caller
 * that goes to another instance only after a call that did not run (a DirectoryClient, {@code
 * onyx call} by the directory's entries) could not, and the whole deadline went by.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BlackHoledConnectTest {
  @Test
  void aCallWhosePingTimedOutBeforeItsConnectFailedIsUnavailable() throws IOException {
    try (BlackHole hole = new BlackHole()) {
      for (IoStrategy io : IoStrategy.values()) {
        try (RpcClient client = RpcClient.builder().address(hole.address())
            .transport(Transport.TCP).ioStrategy(io).attemptTimeout(Duration.ofMillis(100))
            .connectTimeout(Duration.ofMillis(1500)).build()) {
          RpcException e = assertThrows(RpcException.class, () -> client.call(TestService.ADD,
              new TestService.Pair(2, 3), CallOptions.DEFAULT.withSemantics(CallSemantics.AT_MOST_ONCE)
                  .withDeadline(Duration.ofSeconds(30))));
          assertEquals(RpcStatus.UNAVAILABLE, e.status(), io + ": " + e.getMessage());
          assertTrue(e.getMessage().startsWith("cannot reach tcp "), io + ": " + e.getMessage());
        }
      }
    }
  }
}
