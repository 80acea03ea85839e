package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.ClientCall;
import org.onyxrpc.client.ClientInterceptor;
import org.onyxrpc.client.ManualTimer;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerCall;
import org.onyxrpc.server.ServerInterceptor;
import org.onyxrpc.testing.Await;

/**
 * The futures of the async calls that are one call each (open, unlink, stats, attributes, close)
 * are their own, as the generated async stubs' are: they fail with the
 * {@link MessageQueueException} itself, and cancelling one cancels its call. Before, they were
 * {@code thenCompose} stages: {@code handle} saw a {@code CompletionException} around the
 * failure, and a cancel left the call running, retransmitted, until its deadline. Open is the
 * exception: its call goes on (sent no more), and the handle it opens is closed.
 */
class AsyncFuturesTest {
  @Test
  void handleSeesTheQueueFailureItself() throws Exception {
    try (QueueFixture fixture = new QueueFixture()) {
      RpcClient rpc = fixture.client(1000, 100);
      Throwable unlink = MessageQueues.unlinkAsync(rpc, "/missing").handle((ok, failure) -> failure).join();
      assertEquals(MqError.ENOENT, assertInstanceOf(MessageQueueException.class, unlink).error());
      Throwable open = MessageQueues.openAsync(rpc, "/missing", OpenOptions.existing())
          .handle((ok, failure) -> failure).join();
      assertEquals(MqError.ENOENT, assertInstanceOf(MessageQueueException.class, open).error());
      MessageQueue q = MessageQueues.open(rpc, "/q", OpenOptions.create(0600, QueueAttributes.of(1, 8)));
      q.close();
      Throwable attributes = q.attributesAsync().handle((ok, failure) -> failure).join();
      assertInstanceOf(MessageQueueException.class, attributes);
    }
  }

  @Test
  void cancellingTheFutureCancelsTheCall() throws Exception {
    Ended ended = endTheHeldStatsCall(stats -> assertTrue(stats.cancel(true)));
    assertEquals(RpcStatus.CANCELLED, ended.status(), "cancelling the future cancelled the call");
    assertEquals(0, ended.timeouts());
  }

  /**
   * A future its caller ends first, as {@code orTimeout} does, gives up its call as a cancelled
   * one does. Before, only cancelling did, and the call went on, retransmitted, until its deadline.
   */
  @Test
  void aFutureTheCallerEndsGivesUpTheCall() throws Exception {
    Ended ended = endTheHeldStatsCall(stats ->
        assertTrue(stats.completeExceptionally(new java.util.concurrent.TimeoutException())));
    assertEquals(RpcStatus.CANCELLED, ended.status(), "the call was given up");
  }

  /** The status the client saw a held call close with (null: none in 60 s), and its timeouts. */
  private record Ended(RpcStatus status, long timeouts) {}

  /**
   * Makes a stats call that the server holds until the test ends, ends its future with {@code
   * ending}, and tells how the client closed the call. The client's deadline is 5 minutes, well
   * past the wait, so that only the ending can end the call in time.
   */
  private static Ended endTheHeldStatsCall(Consumer<CompletableFuture<QueueStats>> ending)
      throws Exception {
    HoldFirst holdStatus = new HoldFirst(MessageQueueServiceV1.STATUS.number());
    BlockingQueue<RpcStatus> closed = new LinkedBlockingQueue<>();
    ClientInterceptor statuses = new ClientInterceptor() {
      @Override
      public void onStart(ClientCall call) {}

      @Override
      public void onClose(ClientCall call) {
        closed.add(call.status());
      }
    };
    QueueServer queues = QueueServer.builder().build();
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .addService(queues.service()).intercept(holdStatus).build().start();
    try (QueueFixture fixture = new QueueFixture(queues, server);
        RpcClient rpc = RpcClient.builder().address("127.0.0.1", server.port())
            .credentials(new AuthSys(0, "test", 1000, 100, new int[0])).timeout(Duration.ofMinutes(5))
            .intercept(statuses).build()) {
      try {
        CompletableFuture<QueueStats> stats = MessageQueues.statsAsync(rpc, "/q");
        assertTrue(holdStatus.held.await(60, TimeUnit.SECONDS), "the server has the call");
        ending.accept(stats);
        RpcStatus status = closed.poll(60, TimeUnit.SECONDS);
        return new Ended(status, rpc.stats().timeouts());
      } finally {
        holdStatus.release.countDown(); // before the server closes: it waits for the calls it runs
      }
    }
  }

  /**
   * A cancelled open whose call the server runs: the handle is closed, and does not count against
   * the client's handles. Before: cancelling the future cancelled the call, its reply (the
   * handle's only name) was dropped, and the handle stayed open until its lease ran out, with
   * maxHandlesPerClient(1) refusing the client's next open with EMFILE.
   */
  @Test
  void aCancelledOpenClosesTheHandleItOpened() throws Exception {
    HoldFirst holdOpen = new HoldFirst(MessageQueueServiceV1.OPEN.number());
    QueueServer queues = QueueServer.builder().maxHandlesPerClient(1).build();
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .addService(queues.service()).intercept(holdOpen).build().start();
    try (QueueFixture fixture = new QueueFixture(queues, server)) {
      RpcClient rpc = fixture.client(1000, 100);
      try {
        CompletableFuture<MessageQueue> open = MessageQueues.openAsync(rpc, "/cancelled",
            OpenOptions.create(0600, QueueAttributes.of(1, 8)));
        assertTrue(holdOpen.held.await(60, TimeUnit.SECONDS), "the server has the call");
        assertTrue(open.cancel(true));
      } finally {
        holdOpen.release.countDown(); // the server opens the handle now, for a caller that no longer wants it
      }
      fixture.awaitStats("/cancelled", s -> s.openHandles() == 0);
      MessageQueues.open(rpc, "/cancelled", OpenOptions.existing()).close(); // not EMFILE
    }
  }

  /**
   * A cancelled open is sent no more (its call may have run: the reply, if it comes, still
   * closes the handle). Before, the OPEN went on being retransmitted until its reply or deadline,
   * every attempt timeout (backing off), for a caller that no longer wanted it.
   */
  @Test
  void aCancelledOpenIsRetransmittedNoMore() throws Exception {
    endTheHeldOpenAndAdvance(open -> assertTrue(open.cancel(true)));
  }

  /**
   * An open whose future its caller ends otherwise (as {@code orTimeout} does) is sent no more
   * either, and its handle is still closed once its reply comes. Before, only cancelling stopped
   * the retransmissions: an open ended by {@code orTimeout} went on being sent until its deadline.
   */
  @Test
  void anOpenTheCallerEndsIsRetransmittedNoMore() throws Exception {
    endTheHeldOpenAndAdvance(open ->
        assertTrue(open.completeExceptionally(new java.util.concurrent.TimeoutException())));
  }

  /**
   * Makes an open that the server holds, ends its future with {@code ending}, lets 30 s of
   * attempts pass on the client's clock, and checks that nothing was sent again and that the
   * handle the held open makes is closed.
   */
  private static void endTheHeldOpenAndAdvance(Consumer<CompletableFuture<MessageQueue>> ending)
      throws Exception {
    HoldFirst holdOpen = new HoldFirst(MessageQueueServiceV1.OPEN.number());
    QueueServer queues = QueueServer.builder().maxHandlesPerClient(1).build();
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .addService(queues.service()).intercept(holdOpen).build().start();
    ManualTimer clock = new ManualTimer();
    try (QueueFixture fixture = new QueueFixture(queues, server);
        RpcClient rpc = clock.timing(RpcClient.builder().address("127.0.0.1", server.port())
            .credentials(new AuthSys(0, "test", 1000, 100, new int[0]))
            .timeout(Duration.ofSeconds(100)).attemptTimeout(Duration.ofSeconds(1))).build()) {
      try {
        CompletableFuture<MessageQueue> open = MessageQueues.openAsync(rpc, "/cancelled",
            OpenOptions.create(0600, QueueAttributes.of(1, 8)));
        assertTrue(holdOpen.held.await(60, TimeUnit.SECONDS), "the server has the call");
        Await.until(() -> clock.pending() == 1); // the open's timer: its next attempt
        ending.accept(open);
        clock.advance(Duration.ofSeconds(30)); // past four attempts (1, 3, 7, 15 s), short of the deadline
        Await.until(() -> {
          clock.advance(Duration.ZERO); // runs a timer that set itself again for a time passed
          return clock.pending() == 1; // the open's, waiting for its deadline now
        });
        assertEquals(0, rpc.stats().retransmissions());
      } finally {
        holdOpen.release.countDown(); // the server opens the handle now
      }
      fixture.awaitStats("/cancelled", s -> s.openHandles() == 0); // closed once its reply came
      assertEquals(0, rpc.stats().retransmissions());
      MessageQueues.open(rpc, "/cancelled", OpenOptions.existing()).close(); // not EMFILE
    }
  }

  /** Holds the first call of one procedure until the test releases it (a minute at most). */
  private static final class HoldFirst implements ServerInterceptor {
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final int procedureNumber;

    HoldFirst(int procedureNumber) {
      this.procedureNumber = procedureNumber;
    }

    @Override
    public void onStart(ServerCall call) {}

    @Override
    public void around(ServerCall call, Runnable procedure) {
      if (call.procedure().number() == procedureNumber && held.getCount() > 0) {
        held.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      procedure.run();
    }
  }
}
