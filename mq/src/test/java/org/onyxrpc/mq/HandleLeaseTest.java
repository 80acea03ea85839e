package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.ReceiveRequest;

/** A handle of a client that died is closed when its lease ends; open ones are renewed. */
class HandleLeaseTest {
  @Test
  void anAbandonedHandleIsClosedItsReservationReturnedAndTheUnlinkedQueueGoesWithTheLast() throws Exception {
    // The lease is 3 s, not 1 s: the live handle is renewed every third of it, and on a loaded
    // machine a renewal may be that late; the dead handle must outlive its OPEN until its RECEIVE.
    try (QueueFixture f = new QueueFixture(QueueServer.builder().handleLease(Duration.ofSeconds(3)).build())) {
      RpcClient c = f.client(1000, 100);
      MessageQueue live = MessageQueues.open(c, "/orphan", OpenOptions.create(0600, QueueAttributes.of(2, 8)));
      live.send(new byte[] {4}, 0);
      // A client that opens, reserves a message and dies: raw calls, nothing renews its handle.
      long dead = c.call(MessageQueueServiceV1.OPEN,
          new OpenRequest("/orphan", Access.READ_WRITE, false, false, 0, 0, 0, false)).value().handle();
      assertEquals(4, c.call(MessageQueueServiceV1.RECEIVE,
          new ReceiveRequest(new Receipt(dead, 1), 0)).value().message()[0]);
      MessageQueues.unlink(c, "/orphan");

      // The dead handle's lease ends while the live one is renewed; the reservation goes back
      // with its handle, long before the 60 s reservation lease would have returned it.
      QueueStats stats = f.awaitStats("/orphan", s -> s.openHandles() == 1);
      assertEquals(true, stats.unlinked());
      assertEquals(4, live.tryReceive().message()[0]);
      assertEquals(MqErrno.EBADF, ((MqFailure) c.call(MessageQueueServiceV1.CLOSE, dead).exception()).errno());
      live.close();
      assertEquals(0, f.queues.stats().size());
    }
  }

  /**
   * A handle with a call waiting on it is in use, as a descriptor that a thread is blocked in
   * mq_receive on: a C client blocked in MQ_RECEIVE without end (or in a registration) calls
   * nothing else meanwhile. Its lease does not end while the call waits, and starts again when it
   * is answered, so that its commit finds it. Before, the sweep closed it under the waiting
   * receive (EBADF) once the wait had lasted a lease.
   */
  @Test
  void aHandleWithACallWaitingOnItOutlivesItsLease() throws Exception {
    Duration lease = Duration.ofMinutes(1);
    AtomicLong now = new AtomicLong();
    QueueServer queues = QueueServer.builder().handleLease(lease).nanoTime(now::get).build();
    try (QueueFixture f = new QueueFixture(queues)) {
      RpcClient c = f.client(1000, 100);
      long h = c.call(MessageQueueServiceV1.OPEN, new OpenRequest("/blocked", Access.READ_WRITE, true, false, 0600,
          2, 8, false)).value().handle();
      CompletableFuture<Reply<Message>> waiting = c.callAsync(MessageQueueServiceV1.RECEIVE,
          new ReceiveRequest(new Receipt(h, 1), -1));
      long registered = c.call(MessageQueueServiceV1.OPEN, new OpenRequest("/blocked", Access.READ_WRITE, false,
          false, 0, 0, 0, false)).value().handle();
      CompletableFuture<Reply<Void>> notification = c.callAsync(MessageQueueServiceV1.NOTIFY_ON_ARRIVAL_FOR,
          new Receipt(registered, 1));
      f.awaitStats("/blocked", s -> s.waitingReceivers() == 1 && s.notifying());

      now.addAndGet(lease.multipliedBy(3).toNanos());
      queues.sweepHandles().get();
      QueueStats stats = f.awaitStats("/blocked", s -> true);
      assertEquals(2, stats.openHandles(), "both handles have a call waiting: open");
      assertEquals(1, stats.waitingReceivers());
      assertTrue(stats.notifying());

      // The receive is answered; its commit comes within a lease of that, not of the RECEIVE.
      try (MessageQueue sender = MessageQueues.open(c, "/blocked", OpenOptions.existing().writeOnly())) {
        sender.send(new byte[] {9}, 0);
      }
      assertEquals(9, waiting.get(20, TimeUnit.SECONDS).value().message()[0]);
      now.addAndGet(lease.toNanos());
      queues.sweepHandles().get();
      assertEquals(null, c.call(MessageQueueServiceV1.COMMIT, new Receipt(h, 1)).exception());
      assertEquals(null, c.call(MessageQueueServiceV1.CLOSE, h).exception());
      // The registration did not fire (a receiver was waiting), and still holds its handle.
      assertFalse(notification.isDone());
      now.addAndGet(lease.multipliedBy(3).toNanos());
      queues.sweepHandles().get();
      assertTrue(f.awaitStats("/blocked", s -> true).notifying());
      assertEquals(null, c.call(MessageQueueServiceV1.CLOSE, registered).exception());
    }
  }

  /**
   * Handles opened and closed by the hundred beside one that stays open: each closed handle's
   * renewal leaves the renewing thread's queue with it. Before, each stayed queued until its next
   * period (a third of the lease, 40 s by default), holding its client.
   */
  @Test
  void aClosedHandlesRenewalDoesNotStayQueued() throws Exception {
    try (QueueFixture f = new QueueFixture()) {
      RpcClient c = f.client(1000, 100);
      try (MessageQueue kept = MessageQueues.open(c, "/kept", OpenOptions.create(0600, QueueAttributes.of(2, 8)))) {
        KeepAlive probe = KeepAlive.start(() -> { }, TimeUnit.HOURS.toMillis(1)); // on the same thread
        try {
          int queued = probe.tasksQueued();
          for (int i = 0; i < 200; i++) {
            MessageQueues.open(c, "/kept", OpenOptions.existing()).close();
          }
          assertEquals(queued, probe.tasksQueued());
        } finally {
          probe.stop();
        }
      }
    }
  }
}
