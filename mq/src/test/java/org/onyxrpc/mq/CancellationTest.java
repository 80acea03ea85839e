package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.mq.QueueSemanticsTest.errorOf;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.server.RpcServer;

/** A cancelled receive takes no message; a cancelled send that still waits sends nothing. */
class CancellationTest {
  private QueueFixture fixture;
  private RpcClient rpc;

  @BeforeEach
  void start() throws Exception {
    fixture = new QueueFixture();
    rpc = fixture.client(1000, 100);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private MessageQueue create(String name, long maxMessages) {
    return MessageQueues.open(rpc, name, OpenOptions.create(0600, QueueAttributes.of(maxMessages, 8)));
  }

  @Test
  void aCancelledWaitingReceiveLeavesTheNextMessageToOthers() throws Exception {
    MessageQueue q = create("/c1", 4);
    CompletableFuture<ReceivedMessage> cancelled = q.receiveAsync();
    fixture.awaitStats("/c1", s -> s.waitingReceivers() == 1);
    assertTrue(cancelled.cancel(true));
    fixture.awaitStats("/c1", s -> s.waitingReceivers() == 0);
    q.send(new byte[] {42}, 0);
    assertEquals(42, q.receive(Duration.ofSeconds(20)).message()[0]);
  }

  /**
   * A waiting receive whose future its caller ends, as {@code orTimeout} does, is withdrawn as a
   * cancelled one is. Before, only cancel() withdrew it: the receive went on waiting on the
   * server, took the next message and handed it to a future already ended, so nobody got it.
   */
  @Test
  void aWaitingReceiveEndedByItsCallerLeavesTheNextMessageToOthers() throws Exception {
    MessageQueue q = create("/c2", 4);
    CompletableFuture<ReceivedMessage> timedOut = q.receiveAsync();
    fixture.awaitStats("/c2", s -> s.waitingReceivers() == 1);
    assertTrue(timedOut.completeExceptionally(new java.util.concurrent.TimeoutException()));
    fixture.awaitStats("/c2", s -> s.waitingReceivers() == 0);
    q.send(new byte[] {43}, 0);
    assertEquals(43, q.receive(Duration.ofSeconds(20)).message()[0]);
  }

  /**
   * A send waiting for room whose future its caller ends, as {@code orTimeout} does, is
   * withdrawn as a cancelled one is. Before, it went on waiting on the server and got in once
   * there was room, though its caller had been told it failed (and might send it again).
   */
  @Test
  void aWaitingSendEndedByItsCallerDoesNotGetInLater() throws Exception {
    MessageQueue q = create("/c3", 1);
    q.send(new byte[] {1}, 0);
    // One attempt that would wait far longer than the test (a repeating send's attempts end
    // every 10 s, and an ended one then asks no more).
    CompletableFuture<Void> timedOut = q.sendAsync(new byte[] {2}, 0, Duration.ofMinutes(10));
    fixture.awaitStats("/c3", s -> s.waitingSenders() == 1);
    assertTrue(timedOut.completeExceptionally(new java.util.concurrent.TimeoutException()));
    fixture.awaitStats("/c3", s -> s.waitingSenders() == 0);
    assertEquals(1, q.receive(Duration.ofSeconds(20)).message()[0]);
    assertEquals(MqError.EAGAIN, errorOf(q::tryReceive), "the ended send did not get in");
  }

  @Test
  void cancelRacingDeliveryLosesAndDuplicatesNothing() throws Exception {
    int rounds = 300;
    MessageQueue q = create("/race", rounds);
    BitSet seen = new BitSet(rounds);
    int keptInQueue = 0;
    for (int i = 0; i < rounds; i++) {
      CompletableFuture<ReceivedMessage> receive = q.receiveAsync();
      CompletableFuture<Void> sent = q.sendAsync(ByteBuffer.allocate(4).putInt(i).array(), 0);
      // Cancel at different moments: before the message is there, or once it was handed over.
      if (i % 2 != 0) {
        sent.get(20, TimeUnit.SECONDS);
      }
      if (receive.cancel(false)) {
        keptInQueue++;
      } else {
        record(seen, receive.get(20, TimeUnit.SECONDS));
      }
    }
    for (int i = 0; i < keptInQueue; i++) {
      record(seen, q.receive(Duration.ofSeconds(20)));
    }
    assertEquals(rounds, seen.cardinality());
    assertEquals(MqError.EAGAIN, errorOf(q::tryReceive));
    QueueStats s = fixture.awaitStats("/race", x -> x.reserved() == 0);
    assertEquals(0, s.depth());
  }

  private static void record(BitSet seen, ReceivedMessage m) {
    int i = ByteBuffer.wrap(m.message()).getInt();
    assertTrue(!seen.get(i), "message " + i + " delivered twice");
    seen.set(i);
  }

  @Test
  void anInterruptedBlockingReceiveTakesNoMessage() throws Exception {
    MessageQueue q = create("/c2", 4);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread receiver = new Thread(() -> {
      try {
        q.receive();
      } catch (Throwable t) {
        outcome.set(t);
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    receiver.start();
    fixture.awaitStats("/c2", s -> s.waitingReceivers() == 1);
    receiver.interrupt();
    receiver.join(TimeUnit.SECONDS.toMillis(20));
    assertEquals(MqError.ECANCELED, ((MessageQueueException) outcome.get()).error());
    assertTrue(stillInterrupted.get());
    fixture.awaitStats("/c2", s -> s.waitingReceivers() == 0);
    q.send(new byte[] {7}, 0);
    assertEquals(7, q.tryReceive().message()[0]);
  }

  @Test
  void aCancelledWaitingSendIsWithdrawn() throws Exception {
    MessageQueue q = create("/c3", 1);
    q.send(new byte[] {1}, 0);
    CompletableFuture<Void> blocked = q.sendAsync(new byte[] {2}, 0);
    fixture.awaitStats("/c3", s -> s.waitingSenders() == 1);
    assertTrue(blocked.cancel(false));
    fixture.awaitStats("/c3", s -> s.waitingSenders() == 0);
    assertEquals(1, q.receive().message()[0]);
    assertEquals(MqError.EAGAIN, errorOf(q::tryReceive));
  }

  @Test
  void anUncommittedReservationGoesBackWhenItsLeaseEnds() throws Exception {
    try (QueueFixture shortLease = new QueueFixture(
        QueueServer.builder().reservationLease(Duration.ofMillis(50)).build())) {
      RpcClient c = shortLease.client(1, 1);
      MessageQueue q = MessageQueues.open(c, "/lease", OpenOptions.create(0600, QueueAttributes.of(2, 8)));
      q.send(new byte[] {9}, 0);
      // A receiver that reserves and never commits (it crashed, or its commit was lost).
      org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply<org.onyxrpc.mq.internal.wire.Message> reserved =
          c.call(org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.RECEIVE,
              new org.onyxrpc.mq.internal.wire.ReceiveRequest(new org.onyxrpc.mq.internal.wire.Receipt(handleOf(shortLease, c), 99), 0));
      assertEquals(9, reserved.value().message()[0]);
      // Reserved again under another receipt, once the first lease ended, and not committed: a
      // receive through the queue would have to commit within the same 50 ms lease, and on a
      // loaded machine its commit can lapse again and again until the receive's time is up.
      org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply<org.onyxrpc.mq.internal.wire.Message> back =
          c.call(org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.RECEIVE,
              new org.onyxrpc.mq.internal.wire.ReceiveRequest(new org.onyxrpc.mq.internal.wire.Receipt(handleOf(shortLease, c), 100), 20_000),
              org.onyxrpc.client.CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(30)));
      assertEquals(null, back.exception(), "the message went back when the lease ended");
      assertEquals(9, back.value().message()[0]);
    }
  }

  /**
   * A cancel refused because the commit was on its way, and a commit that then finds nothing
   * reserved (the lease ended, or the receiver's connection closed, meanwhile): nothing was taken,
   * so the call ends cancelled. Before, it asked again for a message its caller no longer wanted,
   * and a caller waiting for the refused call to end waited for the next message to arrive.
   */
  @Test
  void aRefusedCancelIsHonouredWhenTheCommitTakesNothing() throws Exception {
    HeldCommits holdCommits = new HeldCommits(Duration.ofSeconds(20));
    QueueServer queues = QueueServer.builder().reservationLease(Duration.ofMillis(50)).build();
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .addService(queues.service()).intercept(holdCommits).build().start();
    try (QueueFixture held = new QueueFixture(queues, server)) {
      MessageQueue q = MessageQueues.open(held.client(1, 1), "/held", OpenOptions.create(0600, QueueAttributes.of(2, 8)));
      q.send(new byte[] {5}, 0);
      CompletableFuture<ReceivedMessage> receive = q.receiveAsync();
      assertTrue(holdCommits.awaitArrived());
      assertFalse(receive.cancel(false), "the commit is on its way");
      held.awaitStats("/held", s -> s.reserved() == 0 && s.depth() == 1); // the lease ended: the message is back
      holdCommits.release();
      assertThrows(CancellationException.class, () -> receive.get(20, TimeUnit.SECONDS));
      assertEquals(5, q.tryReceive().message()[0], "nothing taken");
    }
  }

  private static long handleOf(QueueFixture f, RpcClient c) {
    return c.call(org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.OPEN,
        new org.onyxrpc.mq.internal.wire.OpenRequest("/lease", org.onyxrpc.mq.internal.wire.Access.READ_ONLY,
            false, false, 0, 0, 0, false)).value().handle();
  }
}
