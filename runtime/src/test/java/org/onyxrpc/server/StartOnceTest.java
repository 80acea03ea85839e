package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.testing.TestService;

/**
 * A server starts once. Before, a second {@code start()} bound a second set of sockets on
 * another free port and registered again, silently; one after {@code close()} logged Netty's
 * stack trace and failed as if a port could not be bound ("event executor terminated").
 */
class StartOnceTest {
  private static RpcServer server(int port) {
    return RpcServer.builder().port(port).directory(Directory.none())
        .addService(new TestService().definition()).build();
  }

  @Test
  void aSecondStartIsRefusedAndTheServerKeepsServingWhereItWas() throws Exception {
    try (RpcServer server = server(0).start()) {
      int port = server.port();
      IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
      assertEquals("this server was started before: start() is called once", e.getMessage());
      assertEquals(port, server.port());
      try (RpcClient client = RpcClient.builder().address("127.0.0.1", port).build()) {
        assertEquals(5, client.call(TestService.ADD, new TestService.Pair(2, 3)));
      }
    }
  }

  @Test
  void aClosedServerIsNotStartedAgain() throws Exception {
    RpcServer server = server(0).start();
    server.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
    assertEquals("this server is closed: build a new one to serve again", e.getMessage());
    assertTrue(server.awaitTermination(Duration.ZERO));
  }

  @Test
  void aServerWhoseStartFailedIsClosed() throws Exception {
    try (RpcServer first = server(0).start()) {
      RpcServer second = server(first.port());
      assertThrows(IOException.class, second::start); // the port is taken
      IllegalStateException e = assertThrows(IllegalStateException.class, second::start);
      assertEquals("this server is closed: build a new one to serve again", e.getMessage());
      assertTrue(second.awaitTermination(Duration.ZERO));
    }
  }
}
