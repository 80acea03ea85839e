package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * An "admin stop" procedure, as RpcServer.shutdown's Javadoc tells it: the close handed to a
 * thread of its own, the procedure returns, and its caller gets the reply before the server
 * stops; a server's shutdown and awaitTermination name a missing timeout.
 */
class StopFromAProcedureTest {
  private static final Procedure<Integer, Integer> STOP =
      new Procedure<>(0x20000299, 1, 1, "Admin.stop", XdrCodecs.INT, XdrCodecs.INT);

  @Test
  void aProcedureThatHandsTheCloseToAThreadIsAnsweredAndTheServerStops() throws Exception {
    AtomicReference<RpcServer> server = new AtomicReference<>();
    ServiceDefinition admin = ServiceDefinition.builder(0x20000299, 1)
        .procedure(STOP, (n, ctx) -> {
          new Thread(server.get()::close, "admin-stop").start();
          return n;
        })
        .build();
    server.set(RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .addService(admin).build().start());
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.get().port()).build()) {
      assertEquals(7, client.call(STOP, 7));
    }
    assertTrue(server.get().awaitTermination(Duration.ofMinutes(1)), "stopped");
  }

  @Test
  void aMissingTimeoutIsNamed() {
    RpcServer server = RpcServer.builder().directory(Directory.none())
        .addService(ServiceDefinition.builder(0x20000299, 1).procedure(STOP, (n, ctx) -> n).build())
        .build();
    assertEquals("timeout", assertThrows(NullPointerException.class, () -> server.shutdown(null)).getMessage());
    assertEquals("timeout",
        assertThrows(NullPointerException.class, () -> server.awaitTermination(null)).getMessage());
    server.close();
  }
}
