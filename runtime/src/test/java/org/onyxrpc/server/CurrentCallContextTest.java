package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A generated service's methods take the call's arguments only, so its implementation finds its
 * caller through {@link CallContext#current()}, as a grpc-java one uses {@code Context.current()}.
 * Before, it needed an interceptor that kept the context in a thread-local of its own (newuser43
 * porting a gRPC service; README, Who called); these tests did not compile.
 */
class CurrentCallContextTest {
  private static final int PROGRAM = 0x20000671;
  private static final Procedure<Integer, Integer> SYNC =
      new Procedure<>(PROGRAM, 1, 1, "Current.sync", XdrCodecs.INT, XdrCodecs.INT);
  private static final Procedure<Integer, Integer> ASYNC =
      new Procedure<>(PROGRAM, 1, 2, "Current.async", XdrCodecs.INT, XdrCodecs.INT);

  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private final AtomicReference<CallContext> given = new AtomicReference<>();
  private final AtomicReference<Optional<CallContext>> seen = new AtomicReference<>();
  private final AtomicReference<Optional<CallContext>> seenLater = new AtomicReference<>();

  @AfterEach
  void stop() {
    worker.shutdownNow();
  }

  private RpcServer server(ServerInterceptor... interceptors) throws java.io.IOException {
    return TestTransport.server().executor(worker).intercept(interceptors)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(SYNC, (n, context) -> {
              given.set(context);
              seen.set(CallContext.current());
              return n;
            })
            .asyncProcedure(ASYNC, (n, context) -> {
              given.set(context);
              seen.set(CallContext.current());
              return CompletableFuture.supplyAsync(() -> {
                seenLater.set(CallContext.current()); // another thread: nothing
                return n;
              });
            })
            .build())
        .build().start();
  }

  @Test
  void aSynchronousProcedureFindsItsOwnCallAndTheThreadNothingAfter() throws Exception {
    try (RpcServer server = server(); RpcClient client = TestTransport.client(server).build()) {
      assertEquals(7, client.call(SYNC, 7));
      assertSame(given.get(), seen.get().orElseThrow());
      assertEquals(Optional.empty(), worker.submit(CallContext::current).get(1, TimeUnit.MINUTES),
          "the worker still holds the call");
    }
    assertEquals(Optional.empty(), CallContext.current());
  }

  @Test
  void anAsynchronousProcedureFindsItUntilItReturnsItsStage() throws Exception {
    try (RpcServer server = server(); RpcClient client = TestTransport.client(server).build()) {
      assertEquals(8, client.call(ASYNC, 8));
      assertSame(given.get(), seen.get().orElseThrow());
      assertEquals(Optional.empty(), seenLater.get());
      assertEquals(Optional.empty(), worker.submit(CallContext::current).get(1, TimeUnit.MINUTES));
    }
  }

  @Test
  void insideInterceptorsTheProcedureFindsItToo() throws Exception {
    AtomicReference<Optional<CallContext>> inAround = new AtomicReference<>();
    ServerInterceptor around = new ServerInterceptor() {
      @Override
      public void onStart(ServerCall call) {}

      @Override
      public void around(ServerCall call, Runnable procedure) {
        inAround.set(CallContext.current());
        procedure.run();
      }
    };
    try (RpcServer server = server(around);
        RpcClient client = TestTransport.client(server).build()) {
      assertEquals(9, client.call(SYNC, 9));
      assertSame(given.get(), seen.get().orElseThrow());
      assertTrue(inAround.get().isEmpty(), "around runs outside the procedure's call");
    }
  }
}
