package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;

/** Interceptors in the ways users write them: for async and one-way calls, and with deadlines. */
class InterceptorEdgeTest {
  private final TestService service = new TestService();
  private final List<ClientCall> closed = new CopyOnWriteArrayList<>();
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().port(0).addService(service.definition()).build().start();
  }

  @AfterEach
  void stop() {
    service.gate.countDown();
    server.close();
  }

  private ClientInterceptor closes() {
    return new ClientInterceptor() {
      @Override
      public void onStart(ClientCall call) {}

      @Override
      public void onClose(ClientCall call) {
        closed.add(call);
      }
    };
  }

  @Test
  void aRefusalOfAnAsyncCallIsItsFailedFutureNotAThrow() throws Exception {
    ClientInterceptor refuse = call -> {
      throw new RpcException(RpcStatus.RESOURCE_EXHAUSTED, "no budget");
    };
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
        .intercept(closes(), refuse).build()) {
      CompletableFuture<String> f = client.callAsync(TestService.ECHO, "x");
      ExecutionException e = assertThrows(ExecutionException.class, f::get);
      assertEquals(RpcStatus.RESOURCE_EXHAUSTED, assertInstanceOf(RpcException.class, e.getCause()).status());
      CompletableFuture<Void> s = client.send(TestService.LOG, "line");
      e = assertThrows(ExecutionException.class, s::get);
      assertEquals(RpcStatus.RESOURCE_EXHAUSTED, assertInstanceOf(RpcException.class, e.getCause()).status());
      assertEquals(2, closed.size());
    }
  }

  @Test
  void aDeadlineSetByAnInterceptorHolds() {
    ClientInterceptor shortDeadline = call -> call.options(call.options().withDeadline(Duration.ofMillis(200)));
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
        .timeout(Duration.ofSeconds(60)).intercept(closes(), shortDeadline).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(TestService.HOLD, 1));
      assertTrue(e.status() == RpcStatus.TIMEOUT || e.status() == RpcStatus.OUTCOME_UNKNOWN, e.toString());
      assertEquals(e.status(), closed.get(0).status());
    }
  }

  /**
   * An interceptor that gives every call the same options (a deadline of its own) gives them to
   * one-way calls too: they stay MAYBE. Before, it failed every send with INTERNAL.
   */
  @Test
  void optionsWithoutSemanticsLeaveAOneWayCallMaybe() throws Exception {
    ClientInterceptor everyCall = call -> call.options(CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(5)));
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
        .intercept(everyCall, closes()).build()) {
      client.send(TestService.LOG, "line").get();
      service.loggedLines.acquire();
      assertEquals(RpcStatus.SUCCESS, closed.get(0).status());
      assertEquals(CallSemantics.MAYBE, closed.get(0).semantics());
      assertEquals(Duration.ofSeconds(5), closed.get(0).options().deadline());
    }
  }
}
