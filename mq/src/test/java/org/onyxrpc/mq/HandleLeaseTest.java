package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
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
