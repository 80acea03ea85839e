package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.SendRequest;

/**
 * When an arrival notification fires besides a plain send to an empty queue (the rules shared
 * with Linux are LinuxParityTest's): a message coming back from a reservation to a queue with no
 * other message to receive fires it, as an arrival would. A consumer that found the queue empty
 * (EAGAIN, the message being reserved) and registered would otherwise never hear of it.
 */
class NotificationRulesTest {
  private static final Caller CALLER = new Caller(1000, 100, new int[0], "client");
  private final QueueHost host = new QueueHost(TestHostConfigs.inMemory());
  private final long handle;

  NotificationRulesTest() throws Exception {
    handle = await(host.open(CALLER, new OpenRequest("/rules", Access.READ_WRITE, true, false, 0600, 4, 8, false)))
        .handle();
  }

  @AfterEach
  void stop() {
    host.close();
  }

  private static <T> T await(Future<T> call) throws Exception {
    return call.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aReleasedMessageComingBackToAQueueWithNoneToReceiveFiresIt() throws Exception {
    await(host.send(CALLER, new SendRequest(new Receipt(handle, 1), 0, new byte[] {1}, 0)));
    Receipt receive = new Receipt(handle, 2);
    await(host.receive(CALLER, receive, 0)); // reserved: nothing left to receive
    CompletableFuture<Void> notified = host.notifyOnArrival(CALLER, new Receipt(handle, 3), PeerWatch.NONE);
    assertFalse(notified.isDone());
    await(host.release(CALLER, receive)); // the receive withdrawn: the message is there to receive again
    await(notified);
  }
}
