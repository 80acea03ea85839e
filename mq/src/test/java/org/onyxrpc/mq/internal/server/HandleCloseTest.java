package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.onyxrpc.mq.internal.wire.Opened;
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

  /**
   * A close puts back its own handle's reservations, and only those, without going through every
   * other handle's. Before, each close of any handle of a queue went through all its reservations:
   * with 65,536 of them held by one handle, about 0.7 ms of the host's one thread per close (35
   * times a call's cost), so one client opening and closing handles slowed every queue's calls.
   * Timed against closes on a queue with nothing reserved, with a wide margin: at most 10 times
   * as long (before, about 30 times; now under 2).
   */
  @Test
  void aCloseGoesThroughItsOwnReservationsOnly() throws Exception {
    int messages = 65_536;
    long holder = await(host.open(CALLER, new OpenRequest("/many", Access.READ_WRITE, true, false, 0600, messages, 1,
        false))).handle();
    Future<?> last = null;
    for (int i = 0; i < messages; i++) {
      last = host.send(CALLER, new SendRequest(new Receipt(holder, i), 0, new byte[] {(byte) i}, 0));
    }
    await(last);
    long closing = await(host.open(CALLER, new OpenRequest("/many", Access.READ_WRITE, false, false, 0, 0, 0, false)))
        .handle();
    byte first = await(host.receive(CALLER, new Receipt(closing, Long.MIN_VALUE), 0)).message()[0];
    await(host.receive(CALLER, new Receipt(closing, Long.MAX_VALUE), 0));
    for (int i = 2; i < messages; i++) {
      last = host.receive(CALLER, new Receipt(holder, i), 0);
    }
    await(last);

    await(host.close(CALLER, closing));
    assertEquals(messages - 2, await(host.status(CALLER, "/many")).reserved(), "the holder's stay reserved");
    assertEquals(first, await(host.receive(CALLER, new Receipt(holder, -1), 0)).message()[0], "the closed one's are back");

    await(host.open(CALLER, new OpenRequest("/few", Access.READ_WRITE, true, false, 0600, 4, 8, false)));
    long many = Long.MAX_VALUE;
    long few = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      many = Math.min(many, closeNanos("/many"));
      few = Math.min(few, closeNanos("/few"));
    }
    System.out.printf("MEASURED 300 closes: %d µs beside %d reservations, %d µs beside none%n",
        many / 1_000, messages - 1, few / 1_000);
    assertTrue(many < 10 * few, "closes beside 65,535 reservations took " + many / 1_000 + " µs, beside none "
        + few / 1_000 + " µs");
  }

  /** How long closing 300 handles of {@code name} takes, the closes handed over together. */
  private long closeNanos(String name) throws Exception {
    List<CompletableFuture<Opened>> opened = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      opened.add(host.open(CALLER, new OpenRequest(name, Access.READ_WRITE, false, false, 0, 0, 0, false)));
    }
    List<Long> handles = new ArrayList<>();
    for (CompletableFuture<Opened> o : opened) {
      handles.add(await(o).handle());
    }
    long start = System.nanoTime();
    Future<Void> last = null;
    for (long h : handles) {
      last = host.close(CALLER, h);
    }
    await(last);
    return System.nanoTime() - start;
  }
}
