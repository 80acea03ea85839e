package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerCall;
import org.onyxrpc.server.ServerInterceptor;

/**
 * A cancelled arrival notification goes from the server even when its cancel overtakes its
 * registration there (the server runs a connection's calls in parallel), and the handle's next
 * registration stays. Before, the cancel found nothing, the registration arrived after it and
 * stayed, held for a future nobody waited on: every other handle got EBUSY until a message came
 * or the handle closed. Then the client sent its cancel again until the registration's call was
 * answered, so the handle's next registration was refused EBUSY (the old one still there) or
 * removed by one of those cancels arriving late. Now each registration is named by its receipt:
 * the server remembers a cancel that found nothing and refuses the registration it overtook
 * (ECANCELED), and a cancel removes no other registration.
 */
class NotificationCancelOrderTest {
  @Test
  void aCancelThatOvertakesItsRegistrationStillRemovesIt() throws Exception {
    CountDownLatch registrationArrived = new CountDownLatch(1);
    CountDownLatch cancelAnswered = new CountDownLatch(1);
    CountDownLatch registrationRan = new CountDownLatch(1);
    // Holds the first registration until the first cancel has been answered: the order that
    // two handler threads can take by themselves.
    ServerInterceptor overtaking = new ServerInterceptor() {
      @Override
      public void onStart(ServerCall call) {}

      @Override
      public void around(ServerCall call, Runnable procedure) {
        if (call.procedure().number() == MessageQueueServiceV1.NOTIFY_ON_ARRIVAL_FOR.number()
            && registrationArrived.getCount() > 0) {
          registrationArrived.countDown();
          await(cancelAnswered);
          procedure.run();
          registrationRan.countDown();
          return;
        }
        procedure.run();
      }

      @Override
      public void onClose(ServerCall call) {
        if (call.procedure().number() == MessageQueueServiceV1.CANCEL_NOTIFY_FOR.number()) {
          cancelAnswered.countDown();
        }
      }
    };
    QueueServer queues = QueueServer.builder().build();
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).addService(queues.service()).intercept(overtaking).build().start();
    try (QueueFixture fixture = new QueueFixture(queues, server)) {
      try {
        MessageQueue q = MessageQueues.open(fixture.client(1000, 1000), "/notify",
            OpenOptions.create(0600, QueueAttributes.of(4, 8)));
        MessageQueue other = MessageQueues.open(fixture.client(1000, 1000), "/notify", OpenOptions.existing());
        CompletableFuture<Void> arrival = q.notifyOnArrival();
        assertTrue(registrationArrived.await(60, TimeUnit.SECONDS));
        assertTrue(arrival.cancel(false));
        assertTrue(registrationRan.await(60, TimeUnit.SECONDS));
        // The registration ran after its cancel and was refused; the same handle registers again
        // at once, and that registration holds (EBUSY for another handle) until a message comes.
        CompletableFuture<Void> again = q.notifyOnArrival();
        fixture.awaitStats("/notify", QueueStats::notifying);
        assertEquals(MqError.EBUSY, QueueSemanticsTest.errorOf(other.notifyOnArrival()));
        other.send(new byte[] {1}, 0);
        again.get(20, TimeUnit.SECONDS);
        // Cancelled, its handle is free of it and another handle may register.
        CompletableFuture<Void> third = q.notifyOnArrival();
        fixture.awaitStats("/notify", QueueStats::notifying);
        assertTrue(third.cancel(false));
        fixture.awaitStats("/notify", s -> !s.notifying());
        CompletableFuture<Void> mine = other.notifyOnArrival();
        fixture.awaitStats("/notify", QueueStats::notifying);
        q.receive();
        other.send(new byte[] {2}, 0);
        mine.get(20, TimeUnit.SECONDS);
      } finally {
        cancelAnswered.countDown(); // before the close: a failed test leaves no registration held
      }
    }
  }

  /**
   * Long enough that the held registration is never let go before its cancel is answered, however
   * slow the machine: run first, it would not be overtaken and the test would prove nothing (or
   * fail). The test opens the latch in a finally.
   */
  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
