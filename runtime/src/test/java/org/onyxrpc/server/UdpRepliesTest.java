package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.transport.Transport;

/**
 * A UDP reply made on a procedure's worker thread is sent by that thread, not handed to the
 * event loop (which would be woken for it); replies made on the event loop go as before.
 */
class UdpRepliesTest {
  private static final CallOptions MAYBE = CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE);

  private static RpcClient client(int port) {
    return RpcClient.builder().address("127.0.0.1", port).transport(Transport.UDP)
        .timeout(Duration.ofSeconds(20)).build();
  }

  @Test
  void repliesMadeOnWorkersAreSentByThem() throws Exception {
    try (RpcServer server = RpcServer.builder().transports(Transport.UDP)
            .addService(new TestService().definition()).build().start();
        RpcClient client = client(server.port())) {
      for (int i = 0; i < 50; i++) {
        assertEquals(i + 1, client.call(TestService.ADD, new TestService.Pair(i, 1), MAYBE));
      }
      // Native sockets only: elsewhere every reply goes through the event loop.
      long expected = NettyTransports.epoll() ? 50 : 0;
      assertEquals(expected, server.udpEndpoint().direct.sent.sum());
    }
  }

  @Test
  void repliesMadeOnTheEventLoopGoThroughTheChannel() throws Exception {
    try (RpcServer server = RpcServer.builder().transports(Transport.UDP).directExecutor()
            .addService(new TestService().definition()).build().start();
        RpcClient client = client(server.port())) {
      for (int i = 0; i < 20; i++) {
        assertEquals(i + 2, client.call(TestService.ADD, new TestService.Pair(i, 2), MAYBE));
      }
      assertEquals(0, server.udpEndpoint().direct.sent.sum());
    }
  }

  @Test
  void closingWhileWorkersReplyLosesNothingButTheUnsentReplies() throws Exception {
    RpcServer server = RpcServer.builder().transports(Transport.UDP)
        .shutdownTimeout(Duration.ZERO).addService(new TestService().definition()).build().start();
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
        .transport(Transport.UDP).timeout(Duration.ofSeconds(2)).build()) {
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        calls.add(client.callAsync(TestService.ADD, new TestService.Pair(i, 0), MAYBE));
      }
      server.close(); // while replies are being sent
      for (int i = 0; i < calls.size(); i++) {
        try {
          assertEquals(i, calls.get(i).get(1, TimeUnit.MINUTES));
        } catch (ExecutionException e) {
          // No reply after the close: the call may have run, never a wrong answer.
          assertTrue(e.getCause() instanceof RpcException, e.toString());
        }
      }
    }
  }
}
