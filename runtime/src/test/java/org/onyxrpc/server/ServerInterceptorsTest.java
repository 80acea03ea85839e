package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;

/** The server's interceptor chain: absent when empty, and robust to interceptors that misbehave. */
class ServerInterceptorsTest {
  @Test
  void aServerWithoutInterceptorsHasNoChain() {
    assertNull(ServerInterceptors.of(List.of()));
  }

  @Test
  void anAroundThatDoesNotRunTheProcedureFailsTheCallInsteadOfLosingIt() throws Exception {
    List<RpcStatus> closed = new CopyOnWriteArrayList<>();
    ServerInterceptor lazy = new ServerInterceptor() {
      @Override
      public void onStart(ServerCall call) {}

      @Override
      public void around(ServerCall call, Runnable procedure) {
        // forgets to run it
      }

      @Override
      public void onClose(ServerCall call) {
        closed.add(call.status());
      }
    };
    try (RpcServer server = RpcServer.builder().port(0).addService(new TestService().definition())
            .intercept(lazy).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      RpcException e = assertThrows(RpcException.class,
          () -> client.call(TestService.ADD, new TestService.Pair(1, 2)));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status());
      assertEquals(List.of(RpcStatus.SYSTEM_ERR), closed);
    }
  }

  /**
   * An around that hands the procedure to another thread, which runs it after around returned:
   * the call was already failed SYSTEM_ERR, so the late run does nothing. Before, it ran the
   * procedure and finished the call a second time, giving its decoded bytes and its place among
   * the calls in flight back twice (both counts went below zero).
   */
  @Test
  void aProcedureRunAfterAroundReturnedDoesNotFinishTheCallAgain() throws Exception {
    java.util.concurrent.CompletableFuture<Runnable> handedOver = new java.util.concurrent.CompletableFuture<>();
    ServerInterceptor elsewhere = new ServerInterceptor() {
      @Override
      public void onStart(ServerCall call) {}

      @Override
      public void around(ServerCall call, Runnable procedure) {
        handedOver.complete(procedure); // run later, on the test's thread
      }
    };
    TestService service = new TestService();
    try (RpcServer server = RpcServer.builder().port(0).addService(service.definition())
            .intercept(elsewhere).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      RpcException e = assertThrows(RpcException.class,
          () -> client.call(TestService.ECHO, "x".repeat(1000)));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status());
      org.onyxrpc.testing.Await.until(() -> server.callsInFlight() == 0);
      handedOver.get().run();
      assertEquals(0, server.callsInFlight());
      assertEquals(0, server.decodedBytesInFlight());
    }
  }

  /**
   * Before: an Error from onStart escaped, and the call was never answered (the client timed out).
   * It is logged once an interval, with its stack, as the interceptor's; before, each call
   * logged it twice: as the interceptor's, and again as the procedure's failure.
   */
  @Test
  void anErrorThrownAsTheCallStartsIsSystemErrLoggedOnce() throws Exception {
    ServerInterceptor buggy = call -> {
      throw new AssertionError("interceptor bug");
    };
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (RpcServer server = RpcServer.builder().port(0).addService(new TestService().definition())
            .intercept(buggy).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      for (int i = 0; i < 3; i++) {
        RpcException e = assertThrows(RpcException.class,
            () -> client.call(TestService.ADD, new TestService.Pair(1, 2)));
        assertEquals(RpcStatus.SYSTEM_ERR, e.status());
      }
    } finally {
      System.setErr(stderr);
    }
    String logged = err.toString(StandardCharsets.UTF_8);
    assertEquals(List.of("a server interceptor failed as Test.add (program 0x20000101 version 1 procedure 1) started:"
        + " java.lang.AssertionError: interceptor bug"), logged.lines().filter(l -> l.contains(" WARN ") && l.contains("interceptor bug"))
            .map(l -> l.substring(l.indexOf(" - ") + 3)).toList(), logged);
    assertTrue(logged.contains("\tat "), "its stack: " + logged);
  }

  /**
   * An onClose that throws in every call changes no reply, and is logged at most once an
   * interval (once, or not at all if another test's was logged within it); before, each call
   * logged it with its stack.
   */
  @Test
  void aFailingOnCloseDoesNotChangeTheReplyAndIsLoggedOnce() throws Exception {
    ServerInterceptor broken = new ServerInterceptor() {
      @Override
      public void onStart(ServerCall call) {}

      @Override
      public void onClose(ServerCall call) {
        throw new AssertionError("observer bug");
      }
    };
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (RpcServer server = RpcServer.builder().port(0).addService(new TestService().definition())
            .intercept(broken).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      for (int i = 0; i < 3; i++) {
        assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2)));
      }
    } finally {
      System.setErr(stderr);
    }
    String logged = err.toString(StandardCharsets.UTF_8);
    assertTrue(logged.lines().filter(l -> l.contains(" WARN ") && l.contains("observer bug"))
        .count() <= 1, logged);
  }
}
