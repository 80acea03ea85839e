package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A procedure that calls another server and lets that call's failure out did run: its caller is
 * told SYSTEM_ERR (may have run), not the inner call's refusal, which would say that the outer
 * call's own procedure, credentials or arguments were refused and that it did not run. Before,
 * the inner PROC_UNAVAIL, AUTH_ERROR and GARBAGE_ARGS were sent as the outer call's reply
 * ("procedure 1 (Relay.sync) not available in program 0x20000203 version 1", of a procedure
 * that had just run). A relay that means to answer as its inner server did throws {@code
 * relayed()}.
 */
class ReceivedFailuresTest {
  private static final int PROGRAM = 0x20000203;
  /** 1: a missing procedure, 2: AUTH_TOOWEAK, 3: GARBAGE_ARGS; made with call, waiting. */
  private static final Procedure<Integer, Integer> SYNC =
      new Procedure<>(PROGRAM, 1, 1, "Relay.sync", XdrCodecs.INT, XdrCodecs.INT);
  /** The same, made with callAsync, the stage's failure returned as the procedure's. */
  private static final Procedure<Integer, Integer> ASYNC =
      new Procedure<>(PROGRAM, 1, 2, "Relay.async", XdrCodecs.INT, XdrCodecs.INT);
  /** The same, thrown as {@code relayed()}: meant as this server's own answer. */
  private static final Procedure<Integer, Integer> RELAY =
      new Procedure<>(PROGRAM, 1, 3, "Relay.relayed", XdrCodecs.INT, XdrCodecs.INT);
  private static final Procedure<Void, Void> REFUSES_ARGS =
      new Procedure<>(TestService.PROGRAM, 1, 20, "Inner.refusesArgs", XdrCodecs.VOID, XdrCodecs.VOID);

  private static RpcServer inner;
  private static RpcClient toInner;
  private static RpcServer outer;
  private static RpcClient client;
  private static final LinkedBlockingQueue<RpcStatus> seenByTheOuterServer = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    ServiceDefinition innerService = ServiceDefinition.builder(TestService.PROGRAM, 1)
        .procedure(TestService.TOO_WEAK, (v, ctx) -> {
          throw RpcException.authError(AuthStatus.AUTH_TOOWEAK, "needs AUTH_SYS");
        })
        .procedure(REFUSES_ARGS, (v, ctx) -> {
          throw new RpcException(RpcStatus.GARBAGE_ARGS, "not these");
        })
        .build();
    inner = RpcServer.builder().inProcess("received-failures-inner").addService(innerService).build().start();
    toInner = RpcClient.builder().inProcess("received-failures-inner").build();
    ServiceDefinition relay = ServiceDefinition.builder(PROGRAM, 1)
        .procedure(SYNC, (n, ctx) -> {
          innerCall(n);
          return n;
        })
        .asyncProcedure(ASYNC, (n, ctx) -> innerCallAsync(n).thenApply(v -> n))
        .procedure(RELAY, (n, ctx) -> {
          try {
            innerCall(n);
          } catch (RpcException e) {
            throw e.relayed();
          }
          return n;
        })
        .build();
    outer = RpcServer.builder().inProcess("received-failures-outer").addService(relay)
        .intercept(new ServerInterceptor() {
          @Override
          public void onStart(ServerCall call) {}

          @Override
          public void onClose(ServerCall call) {
            seenByTheOuterServer.add(call.status());
          }
        })
        .build().start();
    client = RpcClient.builder().inProcess("received-failures-outer").build();
  }

  private static void innerCall(int n) {
    switch (n) {
      case 1 -> toInner.call(TestService.MISSING, null);
      case 2 -> toInner.call(TestService.TOO_WEAK, null);
      default -> toInner.call(REFUSES_ARGS, null);
    }
  }

  private static CompletableFuture<Void> innerCallAsync(int n) {
    return switch (n) {
      case 1 -> toInner.callAsync(TestService.MISSING, null);
      case 2 -> toInner.callAsync(TestService.TOO_WEAK, null);
      default -> toInner.callAsync(REFUSES_ARGS, null);
    };
  }

  @AfterAll
  static void stop() {
    client.close();
    outer.close();
    toInner.close();
    inner.close();
  }

  @Test
  void anInnerCallsRefusalLetOutOfASyncProcedureIsItsCallersSystemError() throws Exception {
    for (int n = 1; n <= 3; n++) {
      int kind = n;
      RpcException e = assertThrows(RpcException.class, () -> client.call(SYNC, kind));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status(), e.getMessage());
      assertEquals(RpcStatus.SYSTEM_ERR, seenByTheOuterServer.take(), "what interceptors are told");
    }
  }

  @Test
  void anInnerCallsRefusalThatFailsAnAsyncProceduresStageIsItsCallersSystemError() throws Exception {
    for (int n = 1; n <= 3; n++) {
      int kind = n;
      RpcException e = assertThrows(RpcException.class, () -> client.call(ASYNC, kind));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status(), e.getMessage());
      assertEquals(RpcStatus.SYSTEM_ERR, seenByTheOuterServer.take());
    }
  }

  @Test
  void aRelayedRefusalIsSentAsTheServersOwn() throws Exception {
    RpcException missing = assertThrows(RpcException.class, () -> client.call(RELAY, 1));
    assertEquals(RpcStatus.PROC_UNAVAIL, missing.status(), missing.getMessage());
    RpcException weak = assertThrows(RpcException.class, () -> client.call(RELAY, 2));
    assertEquals(RpcStatus.AUTH_ERROR, weak.status(), weak.getMessage());
    assertEquals(AuthStatus.AUTH_TOOWEAK, weak.authStatus());
    RpcException garbage = assertThrows(RpcException.class, () -> client.call(RELAY, 3));
    assertEquals(RpcStatus.GARBAGE_ARGS, garbage.status(), garbage.getMessage());
    seenByTheOuterServer.clear();
  }

  @Test
  void whatAClientReadsIsReceivedAndWhatAProcedureMakesIsNot() {
    RpcException read = assertThrows(RpcException.class, () -> toInner.call(TestService.MISSING, null));
    assertTrue(read.received(), "a sync call's rethrown failure");
    assertTrue(((RpcException) read.getCause()).received(), "the failure found by the client");
    RpcException garbage = assertThrows(RpcException.class, () -> toInner.call(REFUSES_ARGS, null));
    assertTrue(garbage.received(), "a GARBAGE_ARGS, whose message the client makes itself");
    assertFalse(read.relayed().received());
    assertEquals(read.getMessage(), read.relayed().getMessage());
    assertFalse(RpcException.authError(AuthStatus.AUTH_TOOWEAK, "made here").received());
    assertFalse(new RpcException(RpcStatus.GARBAGE_ARGS, "made here").received());
  }
}
