package org.example.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.ClientCall;
import org.onyxrpc.client.ClientInterceptor;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;

/**
 * Compiled with the Java of everything.idl by EndToEndTest: the future an async stub returns for a
 * procedure with declared exceptions is the call's own, as for a procedure without them. It fails
 * with the declared exception or the RpcException itself (not a CompletionException around it,
 * which is what {@code handle} and {@code exceptionally} saw of a dependent stage), and cancelling
 * it cancels the call (before, the call went on, retransmitted, until its deadline); so does
 * completing it first, as {@code orTimeout} does (before, the call went on until its deadline).
 */
public final class AsyncStubFuturesScenario implements Callable<String> {
  @Override
  public String call() throws Exception {
    Semaphore held = new Semaphore(0);
    CompletableFuture<String> unanswered = new CompletableFuture<>();
    EchoV1.AsyncEcho impl = new EchoV1.AsyncEchoImplBase() { // check: PROC_UNAVAIL
      @Override public CompletableFuture<String> find(String key) {
        if (key.equals("hold")) {
          held.release();
          return unanswered; // answered only once the test is done with the call
        }
        return CompletableFuture.failedFuture(new NotFound("no such key", key));
      }
    };
    BlockingQueue<RpcStatus> closed = new LinkedBlockingQueue<>();
    ClientInterceptor statuses = new ClientInterceptor() {
      @Override public void onStart(ClientCall call) {}
      @Override public void onClose(ClientCall call) {
        closed.add(call.status());
      }
    };
    try (RpcServer server = RpcServer.builder().port(0).addService(EchoV1.bindAsync(impl))
            .build().start();
        RpcClient client = RpcClient.builder().address("localhost", server.port())
            .intercept(statuses).build()) {
      // A deadline well past the test's wait for the cancelled call, so that only cancelling
      // can end it in time (it ended with TIMEOUT before).
      EchoV1.AsyncEcho echo = EchoV1.newAsyncClient(client,
          CallOptions.DEFAULT.withDeadline(Duration.ofMinutes(5)));

      Throwable miss = echo.find("missing").handle((value, failure) -> failure).join();
      assertInstanceOf(NotFound.class, miss, "the declared exception itself");
      assertEquals("missing", ((NotFound) miss).key());
      Throwable refused = echo.check(1).handle((value, failure) -> failure).join();
      assertEquals(RpcStatus.PROC_UNAVAIL, assertInstanceOf(RpcException.class, refused).status());
      closed.clear();

      try {
        CompletableFuture<String> call = echo.find("hold");
        assertTrue(held.tryAcquire(60, TimeUnit.SECONDS), "the server has the call");
        assertTrue(call.cancel(true));
        assertEquals(RpcStatus.CANCELLED, closed.poll(60, TimeUnit.SECONDS),
            "cancelling the stub's future cancelled the call");

        CompletableFuture<String> timedOut = echo.find("hold");
        assertTrue(held.tryAcquire(60, TimeUnit.SECONDS), "the server has the call");
        assertTrue(timedOut.completeExceptionally(new TimeoutException())); // what orTimeout does
        assertEquals(RpcStatus.CANCELLED, closed.poll(60, TimeUnit.SECONDS),
            "completing the stub's future gave up the call");
        assertEquals(0, client.stats().timeouts());
      } finally {
        // Else the server's close waits out its shutdown timeout (10 s) for the call to end.
        unanswered.complete("late");
      }
    }
    return "ok";
  }
}
