package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.TestService;

/** What a caller sees of the client: its exceptions, its limits, its configuration. */
class CallerFacingTest {
  private final TestService service = new TestService();
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().addService(service.definition()).build().start();
  }

  @AfterEach
  void stop() {
    service.gate.countDown();
    server.close();
  }

  private RpcClientBuilder builder() {
    return RpcClient.builder().address("127.0.0.1", server.port()).timeout(Duration.ofMinutes(1));
  }

  /** Before: the exception made on the I/O thread, whose stack does not show the caller. */
  @Test
  void aSyncCallThrowsAnExceptionMadeOnTheCallingThread() {
    try (RpcClient client = builder().build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(TestService.FAIL, null));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status());
      assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getMethodName()
          .equals("lambda$aSyncCallThrowsAnExceptionMadeOnTheCallingThread$0")), "caller's frame");
      RpcException original = assertInstanceOf(RpcException.class, e.getCause());
      assertNotSame(e, original);
      assertEquals(e.status(), original.status());
      assertEquals(e.getMessage(), original.getMessage());
    }
  }

  /** Before: with a limit of 1 the NULL probe took the only place, and the call was UNAVAILABLE. */
  @Test
  void theTagProbeDoesNotCountAgainstMaxPendingCalls() throws Exception {
    try (RpcClient client = builder().maxPendingCalls(1).build()) {
      assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2)));
      CompletableFuture<Integer> held = client.callAsync(TestService.HOLD, 0);
      RpcException e = assertThrows(RpcException.class,
          () -> client.call(TestService.ADD, new TestService.Pair(1, 2)));
      assertEquals(RpcStatus.RESOURCE_EXHAUSTED, e.status(), e.getMessage());
      service.gate.countDown();
      held.get(1, TimeUnit.MINUTES);
    }
  }

  /**
   * A future completed by its caller, as {@code orTimeout} and {@code completeOnTimeout} do, gives
   * back its place as a cancelled one does. Before: the call stayed outstanding with its timer
   * stopped, so it never expired, and held its place until a reply came (never, from a server
   * that hangs): the next call was RESOURCE_EXHAUSTED.
   */
  @Test
  void aFutureTheCallerCompletesGivesBackItsPlace() throws Exception {
    try (RpcClient client = builder().maxPendingCalls(1).build()) {
      assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2))); // past the probe
      CompletableFuture<Integer> timedOut = client.callAsync(TestService.HOLD, 0);
      Await.until(() -> service.holding.get() == 1); // admitted and at the server
      assertTrue(timedOut.completeExceptionally(new TimeoutException())); // what orTimeout does
      assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2)));
      CompletableFuture<Integer> defaulted = client.callAsync(TestService.HOLD, 0);
      Await.until(() -> service.holding.get() == 2);
      assertTrue(defaulted.complete(-1)); // what completeOnTimeout does
      assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2)));
      service.gate.countDown(); // their replies now come, and are dropped
    }
  }

  /**
   * A reply's callback runs on the event loop, which must read the reply a blocking call made
   * there waits for: the call is refused at once, not sent. Before: the loop, and every
   * connection of the process it serves, waited out the call's deadline, then TIMEOUT.
   * Caller-runs reads the reply on the waiting thread, so there the call is made.
   */
  @Test
  void aBlockingCallOnTheClientsOwnEventLoopIsRefusedAtOnce() throws Exception {
    CallOptions deadline = CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(5));
    try (RpcClient client = builder().ioStrategy(IoStrategy.EVENT_LOOP).build()) {
      // Held at the server until both callbacks are set, so that they run where replies are read.
      CompletableFuture<Integer> nested = client.callAsync(TestService.HOLD, 3)
          .thenApply(sum -> client.call(TestService.ADD, new TestService.Pair(sum, 1), deadline));
      CompletableFuture<Void> oneWay = client.callAsync(TestService.HOLD, 3)
          .thenAccept(sum -> client.sendAndWait(TestService.LOG, "from a callback", deadline));
      Await.until(() -> service.holding.get() == 2);
      service.gate.countDown();
      ExecutionException e = assertThrows(ExecutionException.class, () -> nested.get(1, TimeUnit.MINUTES));
      IllegalStateException refused = assertInstanceOf(IllegalStateException.class, e.getCause());
      assertTrue(refused.getMessage().contains("thenApplyAsync"), refused.getMessage());
      e = assertThrows(ExecutionException.class, () -> oneWay.get(1, TimeUnit.MINUTES));
      assertInstanceOf(IllegalStateException.class, e.getCause());
      assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2))); // still serves
    }
    try (RpcClient client = builder().ioStrategy(IoStrategy.CALLER_RUNS).build()) {
      assertEquals(4, client.callAsync(TestService.ADD, new TestService.Pair(1, 2))
          .thenApply(sum -> client.call(TestService.ADD, new TestService.Pair(sum, 1), deadline))
          .get(1, TimeUnit.MINUTES));
    }
  }

  /** A fresh client's first call, while the probe is outstanding, is not refused either. */
  @Test
  void aLimitOfOneLetsTheFirstCallThrough() throws Exception {
    try (RpcClient client = builder().maxPendingCalls(1).build()) {
      assertEquals(5, client.callAsync(TestService.ADD, new TestService.Pair(2, 3)).get(1, TimeUnit.MINUTES));
    }
  }

  /** Before: the client read its builder's fields, so this made the next call RESOURCE_EXHAUSTED. */
  @Test
  void aBuilderChangedAfterBuildDoesNotReachTheClient() throws Exception {
    RpcClientBuilder builder = builder().maxPendingCalls(10);
    try (RpcClient client = builder.build()) {
      builder.maxPendingCalls(1).timeout(Duration.ofMillis(1));
      CompletableFuture<Integer> held = client.callAsync(TestService.HOLD, 0);
      assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2)));
      service.gate.countDown();
      held.get(1, TimeUnit.MINUTES);
    }
  }

  /** Before: a blocking one-way call threw CompletionException. */
  @Test
  void aBlockingOneWayCallThrowsRpcException() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", closedPort).build()) {
      RpcException e = assertThrows(RpcException.class,
          () -> client.sendAndWait(TestService.LOG, "lost", CallOptions.DEFAULT));
      assertEquals(RpcStatus.UNAVAILABLE, e.status());
    }
    try (RpcClient client = builder().build()) {
      client.sendAndWait(TestService.LOG, "sent", CallOptions.DEFAULT.withDeadline(Duration.ofMinutes(1)));
      assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2))); // still usable
    }
  }
}
