package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerCall;
import org.onyxrpc.server.ServerInterceptor;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.TestService.Pair;
import org.onyxrpc.transport.Transport;

/**
 * Client and server interceptors around real calls: order, options, metadata, outcomes,
 * refusals; and a client without interceptors makes no per-call object for them.
 */
class InterceptorTest {
  private final TestService service = new TestService();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<ClientCall> clientCalls = new CopyOnWriteArrayList<>();
  private final List<ServerCall> serverCalls = new CopyOnWriteArrayList<>();
  private RpcServer server;

  /** Records its start and close as "name>" and "name<", and the closed calls. */
  private ClientInterceptor recording(String name) {
    return new ClientInterceptor() {
      @Override
      public void onStart(ClientCall call) {
        events.add(name + ">");
      }

      @Override
      public void onClose(ClientCall call) {
        events.add(name + "<" + call.status());
        clientCalls.add(call);
      }
    };
  }

  private ServerInterceptor serverRecording(String name) {
    return new ServerInterceptor() {
      @Override
      public void onStart(ServerCall call) {
        events.add("server " + name + ">");
      }

      @Override
      public void around(ServerCall call, Runnable procedure) {
        events.add("server " + name + " around");
        procedure.run();
      }

      @Override
      public void onClose(ServerCall call) {
        events.add("server " + name + "<" + call.status());
        serverCalls.add(call);
      }
    };
  }

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().port(0).addService(service.definition())
        .intercept(serverRecording("a"), serverRecording("b"))
        .intercept(call -> {
          if ("refuse".equals(call.metadata().get("test"))) {
            throw RpcException.authError(AuthStatus.AUTH_TOOWEAK, "refused by an interceptor");
          }
        })
        .build().start();
  }

  @AfterEach
  void stop() {
    service.gate.countDown();
    server.close();
  }

  private RpcClientBuilder client() {
    return RpcClient.builder().address("127.0.0.1", server.port());
  }

  @Test
  void interceptorsStartInOrderAndCloseInReverseBeforeTheCallerSeesTheResult() {
    try (RpcClient client = client().intercept(recording("a")).intercept(recording("b")).build()) {
      assertEquals(5, client.call(TestService.ADD, new Pair(2, 3)));
      // Both sides closed before the result came back: no waiting needed.
      assertEquals(List.of("a>", "b>", "server a>", "server b>", "server a around",
          "server b around", "server b<SUCCESS", "server a<SUCCESS", "b<SUCCESS", "a<SUCCESS"), events);
      ClientCall call = clientCalls.get(0);
      assertSame(TestService.ADD, call.procedure());
      assertEquals(CallSemantics.AT_MOST_ONCE, call.semantics());
      assertEquals(5, call.result());
      assertNull(call.failure());
      assertTrue(call.durationNanos() >= 0);
      assertEquals(server.port(), ((java.net.InetSocketAddress) call.peer()).getPort());
      ServerCall served = serverCalls.get(0);
      assertEquals(TestService.ADD.number(), served.procedure().number());
      assertEquals(CallSemantics.AT_MOST_ONCE, served.semantics()); // the duplicate cache filters it
      assertEquals(5, served.result());
    }
  }

  @Test
  void failuresAreSeenWithTheirStatusOnBothSides() {
    try (RpcClient client = client().intercept(recording("a")).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(TestService.FAIL, null));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status());
      assertEquals(RpcStatus.SYSTEM_ERR, clientCalls.get(0).status());
      assertSame(e.status(), clientCalls.get(0).failure().status());
      assertEquals(RpcStatus.SYSTEM_ERR, serverCalls.get(0).status());
      assertInstanceOf(IllegalStateException.class, serverCalls.get(0).failure());
    }
  }

  @Test
  void anInterceptorMayChangeTheCallsOptions() {
    ClientInterceptor hurry = call -> call.options(call.options().withDeadline(Duration.ofMillis(50)));
    try (RpcClient client = client().intercept(recording("a"), hurry).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(TestService.HOLD, 1));
      assertEquals(RpcStatus.TIMEOUT, e.status());
      assertEquals(RpcStatus.TIMEOUT, clientCalls.get(0).status());
    }
  }

  @Test
  void metadataAndCredentialsReachServerInterceptors() throws Exception {
    ClientInterceptor tenant = call -> call.metadata().put("tenant", "blue");
    List<String> seen = new CopyOnWriteArrayList<>();
    ServerInterceptor look = call -> seen.add(call.metadata().get("tenant") + " "
        + call.context().credentials().getClass().getSimpleName());
    try (RpcServer withLook = RpcServer.builder().port(0).addService(service.definition())
        .intercept(look).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", withLook.port())
            .credentials(new AuthSys(0, "host", 1000, 100, new int[0])).intercept(tenant).build()) {
      assertEquals(5, client.call(TestService.ADD, new Pair(2, 3)));
      assertEquals(List.of("blue AuthSys"), seen);
    }
  }

  @Test
  void tcpAndUdpCarryTheMetadata() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (RpcServer both = RpcServer.builder().port(0).addService(service.definition())
        .intercept(call -> seen.add(call.context().transport() + " " + call.metadata().get("k")))
        .build().start()) {
      for (Transport transport : List.of(Transport.TCP, Transport.UDP)) {
        try (RpcClient client = RpcClient.builder().address("127.0.0.1", both.port())
            .transport(transport).intercept(call -> call.metadata().put("k", "v")).build()) {
          assertEquals(5, client.call(TestService.ADD, new Pair(2, 3)));
        }
      }
    }
    assertEquals(List.of("TCP v", "UDP v"), seen);
  }

  @Test
  void aServerInterceptorMayRefuseACall() {
    ClientInterceptor refuse = call -> call.metadata().put("test", "refuse");
    try (RpcClient client = client().intercept(refuse).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(TestService.ADD, new Pair(1, 1)));
      assertEquals(RpcStatus.AUTH_ERROR, e.status());
      assertEquals(AuthStatus.AUTH_TOOWEAK, e.authStatus());
      // Every server interceptor that started was closed; none ran the procedure.
      assertEquals(List.of("server a>", "server b>", "server b<AUTH_ERROR", "server a<AUTH_ERROR"),
          events);
    }
  }

  /**
   * AUTH_TOOWEAK to a call that went with AUTH_SYS: the message does not suggest AUTH_SYS, as it
   * does to an AUTH_NONE call (before, it told both callers to send AUTH_SYS rather than AUTH_NONE).
   */
  @Test
  void aTooWeakRefusalSaysWhatTheCallSent() {
    ClientInterceptor refuse = call -> call.metadata().put("test", "refuse");
    try (RpcClient none = client().intercept(refuse).build();
        RpcClient sys = client().intercept(refuse)
            .credentials(new AuthSys(0, "host", 1000, 100, new int[0])).build()) {
      RpcException e = assertThrows(RpcException.class, () -> none.call(TestService.ADD, new Pair(1, 1)));
      assertTrue(e.getMessage().endsWith(": AUTH_TOOWEAK (the server wants stronger security:"
          + " AUTH_SYS rather than AUTH_NONE, TLS, or a client certificate it accepts)"), e::getMessage);
      e = assertThrows(RpcException.class, () -> sys.call(TestService.ADD, new Pair(1, 1)));
      assertEquals(AuthStatus.AUTH_TOOWEAK, e.authStatus());
      assertTrue(e.getMessage().endsWith(": AUTH_TOOWEAK (the server wants stronger security than"
          + " this call's AUTH_SYS credentials: other credentials, TLS, or a client certificate it"
          + " accepts)"), e::getMessage);
    }
  }

  @Test
  void aClientInterceptorMayRefuseACallWhichIsThenNotSent() {
    ClientInterceptor full = call -> {
      throw new RpcException(RpcStatus.RESOURCE_EXHAUSTED, "no budget");
    };
    try (RpcClient client = client().intercept(recording("a"), full, recording("never")).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(TestService.ADD, new Pair(1, 1)));
      assertEquals(RpcStatus.RESOURCE_EXHAUSTED, e.status());
      assertEquals(List.of("a>", "a<RESOURCE_EXHAUSTED"), events);
      assertEquals(0, client.stats().calls());
    }
  }

  @Test
  void anInterceptorsBugFailsTheCallWithInternalAndClosesTheOthers() {
    ClientInterceptor buggy = call -> {
      throw new AssertionError("interceptor bug");
    };
    try (RpcClient client = client().intercept(recording("a"), buggy).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(TestService.ADD, new Pair(1, 1)));
      assertEquals(RpcStatus.INTERNAL, e.status());
      assertEquals(List.of("a>", "a<INTERNAL"), events);
    }
  }

  @Test
  void anInterceptorThatFailsAsTheCallEndsChangesNothing() {
    ClientInterceptor buggy = new ClientInterceptor() {
      @Override
      public void onStart(ClientCall call) {}

      @Override
      public void onClose(ClientCall call) {
        throw new AssertionError("interceptor bug");
      }
    };
    try (RpcClient client = client().intercept(recording("a"), buggy).build()) {
      assertEquals(2, client.call(TestService.ADD, new Pair(1, 1)));
      assertEquals(List.of("a>", "a<SUCCESS"), events.stream().filter(e -> !e.startsWith("server")).toList());
    }
  }

  @Test
  void asyncCallsOneWayCallsAndCancellationAreSeen() throws Exception {
    try (RpcClient client = client().intercept(recording("a")).build()) {
      assertEquals("x", client.callAsync(TestService.ECHO, "x").get());
      client.send(TestService.LOG, "line").get();
      service.loggedLines.acquire();
      CompletableFuture<Integer> held = client.callAsync(TestService.HOLD, 1);
      assertTrue(held.cancel(false));
      assertFalse(held.complete(2)); // ended once: the interceptors were told once
      assertEquals(List.of("a>", "a<SUCCESS", "a>", "a<SUCCESS", "a>", "a<CANCELLED"),
          events.stream().filter(e -> !e.startsWith("server")).toList());
      assertTrue(clientCalls.get(1).oneWay());
    }
  }

  @Test
  void aClientWithoutInterceptorsMakesNoCallObjectForThem() {
    assertNull(ClientInterceptors.of(List.of(), null, null, null));
    try (RpcClient client = client().build()) {
      CompletableFuture<Integer> call = client.callAsync(TestService.ADD, new Pair(1, 2));
      assertNull(((PendingCall<?, ?>) call).observed);
      assertEquals(3, call.join());
    }
  }
}
