package org.onyxrpc.examples.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;

/**
 * A gRPC server-streaming watch ported as README's Coming from gRPC says: a long poll, one
 * {@code watch(after)} call per batch of changes, whose caller sets an attempt timeout longer
 * than the poll may wait. With the default one (1 s) the client sends a parked {@code @idempotent}
 * watch again while it waits, and the server runs it again for each retransmission.
 */
class LongPollWatchTest {
  /** How long the server parks a watch before answering it with no change. */
  private static final Duration LONGEST_PARK = Duration.ofSeconds(2);
  /** The watching stub's options: an attempt outlasts the server's park, so it is sent once. */
  private static final CallOptions LONG_POLL = CallOptions.DEFAULT
      .withAttemptTimeout(LONGEST_PARK.plusSeconds(2)).withDeadline(Duration.ofMinutes(1));

  private LongPollWatch watched;
  private RpcServer server;
  private RpcClient client;

  @BeforeEach
  void start() throws Exception {
    watched = new LongPollWatch(LONGEST_PARK);
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .addService(WatchedV1.bindAsync(watched))
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
    WatchedV1.AsyncWatched watcher = WatchedV1.newAsyncClient(client, LONG_POLL);
    CompletableFuture<Changes> next = watcher.watch(0);
    awaitEvent("run");
    WatchedV1.newClient(client).put("a");
    assertEquals(new Changes(List.of("a"), 1), next.get(20, TimeUnit.SECONDS));
    assertEquals(1, watched.watchRuns.get());
    assertEquals(0, client.stats().retransmissions());
  }

  @Test
  void aWatchWithNothingWrittenIsAnsweredEmptyOnceAndSentOnce() throws Exception {
    WatchedV1.AsyncWatched watcher = WatchedV1.newAsyncClient(client, LONG_POLL);
    assertEquals(new Changes(List.of(), 0), watcher.watch(0).get(20, TimeUnit.SECONDS));
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
  void aServerThatAnswersItsParkedWatchesBeforeClosingEndsThemCleanly() throws Exception {
    CompletableFuture<Changes> next = WatchedV1.newAsyncClient(client, LONG_POLL).watch(0);
    awaitEvent("run");
    watched.answerParked();
    assertTrue(server.shutdown(Duration.ofSeconds(20)));
    assertEquals(new Changes(List.of(), 0), next.get(20, TimeUnit.SECONDS));
  }

  @Test
  void aServerThatClosesOnAParkedWatchCutsItOff() throws Exception {
    CompletableFuture<Changes> next = WatchedV1.newAsyncClient(client, LONG_POLL).watch(0);
    awaitEvent("run");
    assertFalse(server.shutdown(Duration.ofMillis(200)));
    // the client sends the watch again a quarter of its attempt timeout after losing the
    // connection, finds nothing listening, and gives up
    ExecutionException e = assertThrows(ExecutionException.class, () -> next.get(20, TimeUnit.SECONDS));
    assertEquals(RpcStatus.OUTCOME_UNKNOWN, ((RpcException) e.getCause()).status());
  }

  @Test
  void aCallerThatGoesEndsItsParkedWatch() throws Exception {
    RpcClient leaving = RpcClient.builder().address("localhost", server.port()).build();
    CompletableFuture<Changes> next = WatchedV1.newAsyncClient(leaving, LONG_POLL).watch(0);
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
