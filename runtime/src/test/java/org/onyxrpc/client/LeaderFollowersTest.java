package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * How the threads of a caller-runs connection wait for their replies, without a socket: a fake
 * {@link TurnReader} that records who read and completes the calls it is told to.
 */
class LeaderFollowersTest {
  private static final Procedure<Void, Void> NULL = new Procedure<>(1, 1, 0, "NULL",
      XdrCodecs.VOID, XdrCodecs.VOID, CallSemantics.MAYBE);
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final AtomicBoolean open = new AtomicBoolean(true);
  private final ReadTurn turn = new ReadTurn(() -> false, open::get, () -> {});
  private final FakeReader reader = new FakeReader();
  private final AtomicReference<Throwable> lost = new AtomicReference<>();
  private final DrainingOwner owner = new DrainingOwner();
  private final LeaderFollowers reading = new LeaderFollowers(turn, owner, open::get, reader, e -> {
    lost.set(e);
    open.set(false);
  });

  @Test
  void aCallerThatFindsNobodyReadingReadsUntilItsReplyIsInAndLetsTheTurnGo() throws Exception {
    PendingCall<Void, Void> call = call(Thread.currentThread());
    reader.onRead = c -> {
      if (reader.readers.size() == 2) {
        c.settle(null); // its reply, in the second read
      }
    };
    reading.await(call, System.nanoTime() + MINUTE, MINUTE);
    assertTrue(call.isDone());
    assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), reader.readers);
    assertTrue(CompletableFuture.supplyAsync(turn::tryTake).get(1, TimeUnit.MINUTES),
        "the turn was let go");
  }

  /**
   * A sync call made by code the owner runs (a reply's callback) waits while it owns: the reply
   * another thread reads for it is left with the owner, so the waiting thread must run it (before:
   * nobody did, and the call timed out).
   */
  @Test
  void aCallMadeWhileOwningRunsWhatWasLeftForTheOwner() throws Exception {
    assertTrue(owner.tryEnter()); // as when a reply's callback runs on the owner
    try {
      PendingCall<Void, Void> call = call(Thread.currentThread());
      CountDownLatch reading = new CountDownLatch(1);
      CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
        assertTrue(turn.tryTake()); // another thread reads the socket
        reading.countDown();
        try {
          while (!turn.hasFollowers()) {
            Thread.onSpinWait(); // until the caller waits for the turn
          }
          owner.execute(() -> call.settle(null)); // its reply, left with the owner
        } finally {
          turn.release();
        }
      });
      assertTrue(reading.await(1, TimeUnit.MINUTES));
      this.reading.await(call, System.nanoTime() + TimeUnit.SECONDS.toNanos(30), TimeUnit.SECONDS.toNanos(30));
      assertTrue(call.isDone(), "the reply left with the owner was run by the waiting owner");
      other.get(1, TimeUnit.MINUTES);
    } finally {
      owner.exit();
    }
  }

  @Test
  void aFollowerWaitsUntilTheLeaderCompletesItsCallAndNeverReads() throws Exception {
    CountDownLatch leading = new CountDownLatch(1);
    CountDownLatch followerDone = new CountDownLatch(1);
    AtomicReference<PendingCall<Void, Void>> followerCall = new AtomicReference<>();
    Thread follower = new Thread(() -> {
      reading.await(followerCall.get(), System.nanoTime() + MINUTE, MINUTE);
      followerDone.countDown();
    });
    followerCall.set(call(follower));
    PendingCall<Void, Void> leaderCall = call(null);
    reader.onRead = c -> {
      leading.countDown();
      while (!turn.hasFollowers()) {
        Thread.onSpinWait(); // until the follower waits for the turn
      }
      followerCall.get().settle(null); // its reply, read by the leader, which wakes it
      c.settle(null);
    };
    CompletableFuture<Void> leader =
        CompletableFuture.runAsync(() -> reading.await(leaderCall, System.nanoTime() + MINUTE, MINUTE));
    assertTrue(leading.await(1, TimeUnit.MINUTES));
    follower.start();
    assertTrue(followerDone.await(1, TimeUnit.MINUTES), "the follower was woken");
    leader.get(1, TimeUnit.MINUTES);
    assertTrue(followerCall.get().isDone());
    assertFalse(reader.readers.contains(follower), "only the leader read");
  }

  @Test
  void closedWhileACallerReadsTheBuffersAreFreedByItWhenItStops() throws Exception {
    CountDownLatch inRead = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    PendingCall<Void, Void> call = call(null);
    reader.onRead = c -> {
      inRead.countDown();
      awaitQuietly(closed);
    };
    CompletableFuture<Void> leader =
        CompletableFuture.runAsync(() -> reading.await(call, System.nanoTime() + MINUTE, MINUTE));
    assertTrue(inRead.await(1, TimeUnit.MINUTES));
    open.set(false);
    reading.freeBuffers(); // as the closing thread does
    assertEquals(0, reader.frees.size(), "freed under the reading leader");
    closed.countDown();
    leader.get(1, TimeUnit.MINUTES);
    assertFalse(call.isDone());
    assertFalse(reader.frees.isEmpty(), "the leader freed the buffers as it stopped");
    assertTrue(reader.frees.stream().allMatch(heldTheTurn -> heldTheTurn),
        "only a holder of the turn frees");
  }

  /**
   * The first wait for bytes is the time its caller found left, as it passed it, without another
   * read of the clock; a wait that did not bring the reply reads the clock for the next, and a
   * caller with no time left reads nothing.
   */
  @Test
  void theFirstWaitIsTheTimeTheCallerFoundLeftAndLaterOnesAreMeasured() {
    PendingCall<Void, Void> call = call(Thread.currentThread());
    reader.onRead = c -> {
      if (reader.waits.size() == 2) {
        c.settle(null);
      }
    };
    long left = TimeUnit.SECONDS.toNanos(7); // less than the deadline's minute: the caller's word
    reading.await(call, System.nanoTime() + MINUTE, left);
    assertTrue(call.isDone());
    assertEquals(left, reader.waits.get(0));
    assertTrue(reader.waits.get(1) > left, "the second wait measured to the deadline's minute");

    PendingCall<Void, Void> late = call(Thread.currentThread());
    reading.await(late, System.nanoTime() + MINUTE, 0);
    assertEquals(2, reader.waits.size(), "no time left: no read");
    assertFalse(late.isDone());
  }

  @Test
  void aFailedReadLosesTheConnectionAndEndsTheWait() {
    IOException failure = new IOException("the server closed the connection");
    reader.failure = failure;
    PendingCall<Void, Void> call = call(Thread.currentThread());
    reading.await(call, System.nanoTime() + MINUTE, MINUTE);
    assertSame(failure, lost.get());
    assertFalse(call.isDone());
    assertFalse(reader.frees.isEmpty(), "the buffers are freed once the connection is lost");
  }

  @Test
  void whatArrivedIsReadUnlessAnotherThreadHoldsTheTurn() throws Exception {
    ExecutorService holder = Executors.newSingleThreadExecutor();
    try {
      assertTrue(holder.submit(turn::tryTake).get(1, TimeUnit.MINUTES));
      reading.readAvailable();
      assertEquals(0, reader.available, "left to the holder");
      holder.submit(turn::release).get(1, TimeUnit.MINUTES);
      reading.readAvailable();
      assertEquals(1, reader.available);
      assertTrue(turn.tryTake(), "let go after reading");
      turn.release();
    } finally {
      holder.shutdownNow();
    }
  }

  /** A call with no owner's steps: no timer, no transmission, completed by hand. */
  private static PendingCall<Void, Void> call(Thread waiter) {
    return new PendingCall<>(null, 1, NULL, null, CallSemantics.MAYBE, System.nanoTime(),
        MINUTE, MINUTE, true, waiter);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private interface OnRead {
    void read(PendingCall<?, ?> call);
  }

  private final class FakeReader implements TurnReader {
    final List<Thread> readers = new CopyOnWriteArrayList<>();
    final List<Long> waits = new CopyOnWriteArrayList<>();
    /** Per free, whether the freeing thread held the turn. */
    final List<Boolean> frees = new CopyOnWriteArrayList<>();
    volatile OnRead onRead = c -> {};
    volatile IOException failure;
    volatile int available;

    @Override
    public void readOnce(long waitNanos, PendingCall<?, ?> call) throws IOException {
      readers.add(Thread.currentThread());
      waits.add(waitNanos);
      if (failure != null) {
        throw failure;
      }
      onRead.read(call);
    }

    @Override
    public void readAvailable() {
      available++;
    }

    @Override
    public void wakeup() {}

    @Override
    public void freeBuffers() {
      frees.add(turn.isMine());
    }
  }
}
