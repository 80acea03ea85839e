package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.SendRequest;

/** What a handle's close (mq_close, or its lease ending) does to what the handle holds. */
class HandleCloseTest {
  private static final Caller CALLER = new Caller(1000, 100, new int[0], "client");
  private final QueueHost host = new QueueHost(new HostConfig(256, 65_536, 1 << 20, 1L << 30, 256, 1L << 30, 1024,
      65_536, 1024, 64 << 20, 16 << 20, Duration.ofMinutes(1), Duration.ofMinutes(2), null));

  HandleCloseTest() throws Exception {}

  @AfterEach
  void stop() {
    host.close();
  }

  private static <T> T await(Future<T> call) throws Exception {
    return call.get(10, TimeUnit.SECONDS);
  }

  private long open() throws Exception {
    return await(host.open(CALLER, new OpenRequest("/closing", Access.READ_WRITE, true, false, 0600, 4, 8, false)))
        .handle();
  }

  /**
   * The handle's notification goes with it, before its reserved messages go back: a message that
   * comes back to the empty queue is no arrival for the handle that is closing (its notification
   * was answered as if a message had arrived for it), and the next registration is free.
   */
  @Test
  void aClosingHandlesNotificationIsCancelledNotFiredByItsOwnReservationComingBack() throws Exception {
    long closing = open();
    await(host.send(CALLER, new SendRequest(new Receipt(closing, 1), 0, new byte[] {1}, 0)));
    CompletableFuture<Void> notified = host.notifyOnArrival(CALLER, closing); // the queue is not empty: no fire
    await(host.receive(CALLER, new Receipt(closing, 2), 0)); // reserved: nothing left to receive
    assertFalse(notified.isDone());

    await(host.close(CALLER, closing));
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(notified));
    assertEquals(MqErrno.ECANCELED, assertInstanceOf(MqFailure.class, e.getCause()).errno());
    long other = open();
    assertArrayEquals(new byte[] {1}, await(host.receive(CALLER, new Receipt(other, 1), 0)).message());
  }
}
