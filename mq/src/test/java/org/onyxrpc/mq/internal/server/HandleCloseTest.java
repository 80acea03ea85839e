package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
  private final QueueHost host = new QueueHost(TestHostConfigs.inMemory());

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

  /**
   * A close puts back its own handle's reservations, and only those: the reservations are found
   * by handle (a range of a map ordered by handle, then sequence), so that a close does not go
   * through every other handle's, which with 65,536 of them cost the host's one thread about
   * 0.7 ms a close. The closing handle's sequences are the extremes of that range.
   */
  @Test
  void aCloseGoesThroughItsOwnReservationsOnly() throws Exception {
    int messages = 1_000;
    long holder = await(host.open(CALLER, new OpenRequest("/many", Access.READ_WRITE, true, false, 0600, messages, 1,
        false))).handle();
    Future<?> last = null;
    for (int i = 0; i < messages; i++) {
      last = host.send(CALLER, new SendRequest(new Receipt(holder, i), 0, new byte[] {(byte) i}, 0));
    }
    await(last);
    long before = await(host.open(CALLER, new OpenRequest("/many", Access.READ_WRITE, false, false, 0, 0, 0, false)))
        .handle();
    long closing = await(host.open(CALLER, new OpenRequest("/many", Access.READ_WRITE, false, false, 0, 0, 0, false)))
        .handle();
    long after = await(host.open(CALLER, new OpenRequest("/many", Access.READ_WRITE, false, false, 0, 0, 0, false)))
        .handle();
    await(host.receive(CALLER, new Receipt(before, Long.MAX_VALUE), 0));
    byte first = await(host.receive(CALLER, new Receipt(closing, Long.MIN_VALUE), 0)).message()[0];
    await(host.receive(CALLER, new Receipt(closing, Long.MAX_VALUE), 0));
    await(host.receive(CALLER, new Receipt(after, Long.MIN_VALUE), 0));
    for (int i = 4; i < messages; i++) {
      last = host.receive(CALLER, new Receipt(holder, i), 0);
    }
    await(last);

    await(host.close(CALLER, closing));
    assertEquals(messages - 2, await(host.status(CALLER, "/many")).reserved(), "the other handles' stay reserved");
    assertEquals(first, await(host.receive(CALLER, new Receipt(holder, -1), 0)).message()[0], "the closed one's are back");
  }
}
