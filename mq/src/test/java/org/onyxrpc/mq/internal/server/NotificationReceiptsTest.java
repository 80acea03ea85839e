package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * Each arrival notification is named by its receipt, and a cancel removes only the registration
 * it names. Before, a cancel named the handle: a late or repeated one (the client sent it again
 * while its registration's call was unanswered; the runtime retransmits an idempotent call) removed
 * the registration the handle had made since, whose future then failed ECANCELED unasked.
 */
class NotificationReceiptsTest {
  private static final Caller CALLER = new Caller(1000, 100, new int[0], "client");
  private final QueueHost host = new QueueHost(TestHostConfigs.inMemory());
  private final long handle;

  NotificationReceiptsTest() throws Exception {
    handle = await(host.open(CALLER, new OpenRequest("/notified", Access.READ_WRITE, true, false, 0600, 4, 8, false)))
        .handle();
  }

  @AfterEach
  void stop() {
    host.close();
  }

  private static <T> T await(Future<T> call) throws Exception {
    return call.get(10, TimeUnit.SECONDS);
  }

  private static MqErrno failure(Future<?> call) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(call));
    return assertInstanceOf(MqFailure.class, e.getCause()).errno();
  }

  private CompletableFuture<Void> register(long sequence) {
    return host.notifyOnArrival(CALLER, new Receipt(handle, sequence), PeerWatch.NONE);
  }

  private void cancel(long sequence) throws Exception {
    await(host.cancelNotify(CALLER, new Receipt(handle, sequence)));
  }

  private boolean notifying() throws Exception {
    return await(host.statuses()).get(0).notifying();
  }

  private void send() throws Exception {
    await(host.send(CALLER, new SendRequest(new Receipt(handle, 1000), 0, new byte[] {1}, 0)));
  }

  @Test
  void aLateCancelLeavesTheRegistrationMadeSince() throws Exception {
    CompletableFuture<Void> first = register(1);
    cancel(1);
    assertEquals(MqErrno.ECANCELED, failure(first));
    CompletableFuture<Void> second = register(2);
    cancel(1); // the first's cancel again, late: it names a registration that is gone
    assertTrue(notifying());
    assertFalse(second.isDone());
    send();
    await(second);
  }

  @Test
  void aCancelThatOvertakesItsRegistrationIsRemembered() throws Exception {
    cancel(3);
    assertEquals(MqErrno.ECANCELED, failure(register(3)));
    assertFalse(notifying());
    CompletableFuture<Void> next = register(4);
    assertTrue(notifying());
    cancel(4);
    assertEquals(MqErrno.ECANCELED, failure(next));
    assertFalse(notifying());
  }

  @Test
  void aSecondRegistrationIsEbusyEvenFromTheSameHandle() throws Exception {
    CompletableFuture<Void> first = register(5);
    assertEquals(MqErrno.EBUSY, failure(register(6)));
    cancel(6); // the refused one's cancel: the registration held stays
    assertTrue(notifying());
    send();
    await(first);
    assertFalse(notifying()); // removed on delivery, as mq_notify's
  }

  @Test
  void anotherUidCannotCancelNorRegisterByTheHandlesReceipt() throws Exception {
    Caller stranger = new Caller(2000, 2000, new int[0], "client");
    CompletableFuture<Void> mine = register(8);
    assertEquals(MqErrno.EBADF, failure(host.cancelNotify(stranger, new Receipt(handle, 8))));
    assertEquals(MqErrno.EBADF, failure(host.notifyOnArrival(stranger, new Receipt(handle, 9), PeerWatch.NONE)));
    assertTrue(notifying());
    send();
    await(mine);
  }

  /** Clients before receipts: their registration is sequence 0, and their cancel removes the handle's, whichever. */
  @Test
  void clientsBeforeReceiptsKeepTheirBehaviour() throws Exception {
    CompletableFuture<Void> old = host.notifyOnArrival(CALLER, handle);
    await(host.cancelNotify(CALLER, handle));
    assertEquals(MqErrno.ECANCELED, failure(old));
    CompletableFuture<Void> byReceipt = register(7);
    await(host.cancelNotify(CALLER, handle));
    assertEquals(MqErrno.ECANCELED, failure(byReceipt));
    CompletableFuture<Void> again = host.notifyOnArrival(CALLER, handle);
    cancel(0);
    assertEquals(MqErrno.ECANCELED, failure(again));
  }
}
