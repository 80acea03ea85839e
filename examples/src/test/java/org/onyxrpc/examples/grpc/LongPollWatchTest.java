package org.onyxrpc.examples.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;

/**
 * A gRPC server-streaming watch ported as README's Coming from gRPC says: a long poll, one
 * {@code watch(after)} call per batch of changes, whose caller sets an attempt timeout longer
 * than the poll may wait. With the default one (1 s) the client sends a parked {@code @idempotent}
 * watch again while it waits, and the server runs it again for each retransmission.
 */
class LongPollWatchTest {
  private LongPollWatch watched;
  private RpcServer server;
  private RpcClient client;

  @BeforeEach
  void start() throws Exception {
    watched = new LongPollWatch();
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .addService(WatchedV1.bindAsync(watched))
        .intercept(LongPollWatch.callerContext())
        .build().start();
    client = RpcClient.builder().address("localhost", server.port()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  /** Waits for the server's next event, "run" or "gone". */
  private void awaitEvent(String event) throws InterruptedException {
    assertEquals(event, watched.events.poll(20, TimeUnit.SECONDS));
  }

  @Test
  void aWatchWithALongAttemptTimeoutRunsOnceAndGetsTheNextWrite() throws Exception {
    // as README shows it
    WatchedV1.AsyncWatched watcher = WatchedV1.newAsyncClient(client, CallOptions.DEFAULT
        .withDeadline(Duration.ofMinutes(1)).withAttemptTimeout(Duration.ofMinutes(1)));
    CompletableFuture<Changes> next = watcher.watch(0);
    awaitEvent("run");
    WatchedV1.newClient(client).put("a");
    assertEquals(new Changes(List.of("a"), 1), next.get(20, TimeUnit.SECONDS));
    assertEquals(1, watched.watchRuns.get());
    assertEquals(0, client.stats().retransmissions());
  }

  @Test
  void withTheDefaultAttemptTimeoutAParkedWatchIsSentAndRunAgain() throws Exception {
    CompletableFuture<Changes> next = WatchedV1.newAsyncClient(client).watch(0);
    awaitEvent("run");
    awaitEvent("run"); // the retransmission after 1 s runs it beside the first
    WatchedV1.newClient(client).put("a");
    assertEquals(new Changes(List.of("a"), 1), next.get(20, TimeUnit.SECONDS));
    assertTrue(client.stats().retransmissions() >= 1, client.stats().toString());
  }

  @Test
  void aCallerThatGoesEndsItsParkedWatch() throws Exception {
    CallOptions longPoll = CallOptions.DEFAULT.withDeadline(Duration.ofMinutes(1))
        .withAttemptTimeout(Duration.ofMinutes(1));
    RpcClient leaving = RpcClient.builder().address("localhost", server.port()).build();
    CompletableFuture<Changes> next = WatchedV1.newAsyncClient(leaving, longPoll).watch(0);
    awaitEvent("run");
    // cancelling the future tells the server nothing (a ping behind it on the same connection
    // is answered with the watch still parked); closing the connection does
    next.cancel(true);
    leaving.ping(WatchedV1.PROGRAM, WatchedV1.VERSION);
    assertEquals(0, watched.callersGone.get());
    leaving.close();
    awaitEvent("gone");
    assertEquals(1, watched.callersGone.get());
    assertEquals(1, watched.watchRuns.get());
  }
}
