package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.TestTransport;

/**
 * A waiting call made on a thread already interrupted is not sent: CANCELLED "not sent", the
 * interrupt kept for the caller's own code. Before, it was sent, and its wait gave up at once,
 * "interrupted while waiting for its reply; it may have run", while the server ran it.
 */
class InterruptedCallerTest {
  @Test
  void aCallerAlreadyInterruptedSendsNothing() throws Exception {
    try (RpcServer server = TestTransport.server().addService(new TestService().definition()).build().start();
        RpcClient client = TestTransport.client(server).build()) {
      assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2))); // connected
      long ran = server.stats().calls();
      Thread.currentThread().interrupt();
      RpcException e;
      try {
        e = assertThrows(RpcException.class, () -> client.call(TestService.ADD, new TestService.Pair(1, 2)));
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is the caller's to handle");
      } finally {
        Thread.interrupted();
      }
      assertEquals(RpcStatus.CANCELLED, e.status(), e::toString);
      assertTrue(e.getMessage().contains("not sent"), e::getMessage);
      assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2)), "the client serves on");
      assertEquals(ran + 1, server.stats().calls(), "the calls the server ran");
    }
  }
}
