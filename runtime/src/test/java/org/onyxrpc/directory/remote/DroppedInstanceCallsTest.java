package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A call that fails drops its instance, and the calls already under way on that instance's
 * client end as they end, not CANCELLED by the drop. Before, dropping closed the instance's
 * client at once: one call timing out on a slow server made every other call in flight there
 * fail CANCELLED, a status the caller never asked for, which no DirectoryClient fails over, and
 * whose results were on their way. Seen by a new user who killed one of two servers with SIGKILL
 * under load: idempotent calls in flight on it failed CANCELLED ("client ... closed before the
 * reply") instead of going to the other server.
 */
class DroppedInstanceCallsTest {
  private static final int PROGRAM = 0x20000889;
  private static final String NAME = "org.onyxrpc.test.Dropped";
  /** Answers 7 once the test releases it (at most once, the default). */
  private static final Procedure<Void, Integer> HELD =
      new Procedure<>(PROGRAM, 1, 1, "Dropped.held", XdrCodecs.VOID, XdrCodecs.INT);

  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
  private final ExecutorService caller = Executors.newSingleThreadExecutor();
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(directory)
        .serviceName(PROGRAM, NAME)
        .maxConcurrentCalls(8)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(HELD, (v, ctx) -> {
              held.countDown();
              release.await();
              return 7;
            })
            .build())
        .build().start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    caller.shutdownNow();
    server.close();
    directory.close();
  }

  private DirectoryClient client() {
    return DirectoryClient.builder().directory(directory).service(NAME)
        .clientOptions(b -> b.timeout(Duration.ofMinutes(1)))
        .build();
  }

  /** A call that times out there: TIMEOUT drops the instance (its only one, still called). */
  private static void timeOutOn(DirectoryClient c) {
    RpcException e = assertThrows(RpcException.class,
        () -> c.call(HELD, null, CallOptions.DEFAULT.withDeadline(Duration.ofMillis(200))));
    assertEquals(RpcStatus.TIMEOUT, e.status(), e.getMessage());
  }

  @Test
  void anAsyncCallInFlightOnADroppedInstanceGetsItsReply() throws Exception {
    try (DirectoryClient c = client()) {
      CompletableFuture<Integer> inFlight = c.callAsync(HELD, null);
      assertTrue(held.await(30, TimeUnit.SECONDS), "the call reached the server");
      timeOutOn(c);
      release.countDown();
      assertEquals(7, inFlight.get(1, TimeUnit.MINUTES));
    }
  }

  @Test
  void aSyncCallInFlightOnADroppedInstanceGetsItsReply() throws Exception {
    try (DirectoryClient c = client()) {
      CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> c.call(HELD, null), caller);
      assertTrue(held.await(30, TimeUnit.SECONDS), "the call reached the server");
      timeOutOn(c);
      release.countDown();
      assertEquals(7, inFlight.get(1, TimeUnit.MINUTES));
    }
  }
}
