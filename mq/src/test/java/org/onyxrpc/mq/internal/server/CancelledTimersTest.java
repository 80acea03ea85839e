package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.SendRequest;
import org.onyxrpc.testing.Await;

/**
 * A timer cancelled on the owner thread (a reservation's lease at its commit, a waiting call's
 * deadline when a message or a place came) leaves its queue at once. Before, each stayed queued
 * until its delay passed: a receive left one for the reservation lease (60 s), a call that waited
 * with a 29-day deadline one for 29 days, so a client looping through such calls piled them up
 * on the heap without bound but its call rate.
 */
class CancelledTimersTest {
  private static final Caller CALLER = new Caller(1000, 100, new int[0], "client");
  private static final long DAYS = Duration.ofDays(29).toMillis();
  private static final int ROUNDS = 500;

  private QueueHost host;
  private long q;

  @BeforeEach
  void start() throws Exception {
    host = new QueueHost(new HostConfig(256, 65_536, 1 << 20, 1L << 30, 128, 1L << 29, 1024, 65_536, 1024,
        // A handle lease of an hour: its sweep, the one timer that stays, does not run meanwhile.
        64 << 20, 16 << 20, Duration.ofMinutes(1), Duration.ofHours(1), null));
    q = await(host.open(CALLER, new OpenRequest("/q", Access.READ_WRITE, true, true, 0600, 1, 8, false))).handle();
  }

  @AfterEach
  void stop() {
    host.close();
  }

  private static <T> T await(Future<T> call) throws Exception {
    return call.get(10, TimeUnit.SECONDS);
  }

  private void awaitWaiting(boolean senders) {
    Await.until(() -> {
      var s = host.statuses().join().get(0);
      return (senders ? s.waitingSenders() : s.waitingReceivers()) == 1;
    });
  }

  @Test
  void receivesThatWaitedAndWereServedLeaveNoTimerBehind() throws Exception {
    int before = host.timersQueued(); // the handle lease's sweep
    for (int i = 0; i < ROUNDS; i++) {
      Receipt receipt = new Receipt(q, 2L * i);
      CompletableFuture<Message> waiting = host.receive(CALLER, receipt, DAYS);
      awaitWaiting(false);
      await(host.send(CALLER, new SendRequest(new Receipt(q, 2L * i + 1), 0, new byte[] {1}, 0)));
      await(waiting);
      await(host.commit(CALLER, receipt));
    }
    int queued = host.timersQueued() - before;
    assertEquals(0, queued, "timers queued after " + ROUNDS + " receives, each waited on and committed");
  }

  @Test
  void sendsThatWaitedAndWereAdmittedLeaveNoTimerBehind() throws Exception {
    await(host.send(CALLER, new SendRequest(new Receipt(q, 0), 0, new byte[] {0}, 0))); // full
    int before = host.timersQueued();
    for (int i = 1; i <= ROUNDS; i++) {
      CompletableFuture<Void> waiting = host.send(CALLER, new SendRequest(new Receipt(q, 2L * i), 0, new byte[] {1},
          DAYS));
      awaitWaiting(true);
      Receipt receipt = new Receipt(q, 2L * i + 1);
      await(host.receive(CALLER, receipt, 0));
      await(host.commit(CALLER, receipt));
      await(waiting);
    }
    int queued = host.timersQueued() - before;
    assertEquals(0, queued, "timers queued after " + ROUNDS + " sends admitted from a wait");
  }
}
