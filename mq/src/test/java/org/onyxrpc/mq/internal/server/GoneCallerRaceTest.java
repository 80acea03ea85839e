package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.QueueStatus;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.SendRequest;
import org.onyxrpc.server.NoReply;

/**
 * The host's side of a caller that went, told through a {@link PeerWatch} at the moments the
 * runtime may tell it: while the call waits (it ends with no reply), and just after a message was
 * reserved for it (the close and the message crossed: the message goes back, not at the lease).
 */
class GoneCallerRaceTest {
  private static final Caller CALLER = new Caller(1000, 100, new int[0], "client");
  private final QueueHost host = new QueueHost(TestHostConfigs.inMemory());
  private final FakePeer watch = new FakePeer();

  GoneCallerRaceTest() throws Exception {}

  @AfterEach
  void stop() {
    host.close();
  }

  private static <T> T await(Future<T> call) throws Exception {
    return call.get(10, TimeUnit.SECONDS);
  }

  private long open() throws Exception {
    return await(host.open(CALLER, new OpenRequest("/race", Access.READ_WRITE, true, false, 0600, 4, 8, false)))
        .handle();
  }

  private QueueStatus status() throws Exception {
    return await(host.status(CALLER, "/race"));
  }

  @Test
  void aMessageReservedForAReceiveWhoseCallerWentGoesBackAtOnce() throws Exception {
    long handle = open();
    CompletableFuture<Message> gone = host.receive(CALLER, new Receipt(handle, 1), -1, watch);
    assertEquals(1, await(host.status(CALLER, "/race")).waitingReceivers()); // parked, and watched
    await(host.send(CALLER, new SendRequest(new Receipt(handle, 2), 0, new byte[] {5}, 0)));
    assertArrayEquals(new byte[] {5}, await(gone).message()); // written to a connection that had closed
    assertEquals(1, status().reserved());

    watch.close();
    QueueStatus after = status();
    assertEquals(0, after.reserved(), "back now, not at the lease's end");
    assertEquals(1, after.depth());
    assertArrayEquals(new byte[] {5}, await(host.receive(CALLER, new Receipt(handle, 3), 0)).message());
  }

  @Test
  void aWaitingReceiveWhoseCallerWentEndsWithNoReply() throws Exception {
    long handle = open();
    CompletableFuture<Message> gone = host.receive(CALLER, new Receipt(handle, 1), -1, watch);
    assertEquals(1, status().waitingReceivers());
    watch.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(gone));
    assertInstanceOf(NoReply.class, e.getCause());
    assertEquals(0, status().waitingReceivers());
    // Nothing remembers the receipt as withdrawn: the same receive sent again runs again.
    CompletableFuture<Message> again = host.receive(CALLER, new Receipt(handle, 1), -1, PeerWatch.NONE);
    await(host.send(CALLER, new SendRequest(new Receipt(handle, 2), 0, new byte[] {6}, 0)));
    assertArrayEquals(new byte[] {6}, await(again).message());
  }

  @Test
  void aCallAnsweredAtOnceIsNotWatchedOnlyItsReservationUntilCommitted() throws Exception {
    long handle = open();
    await(host.send(CALLER, new SendRequest(new Receipt(handle, 1), 0, new byte[] {1}, -1), watch));
    await(host.receive(CALLER, new Receipt(handle, 2), -1, watch));
    assertEquals(0, watch.waitingCalls());
    assertEquals(1, watch.reservations());
    await(host.commit(CALLER, new Receipt(handle, 2)));
    assertEquals(0, watch.reservations(), "nothing left on the connection for a committed message");
    watch.close();
    assertEquals(0, status().depth(), "taken for good");
  }

  /**
   * A consumer that dies after its receive's reply was sent and before its commit: over a
   * connection the server hears of it, and the message goes back at once, in its place (ahead of
   * a later message of its priority, behind none of a lower one), not when the lease ends.
   */
  @Test
  void aMessageReservedByAConsumerWhoseConnectionClosesBeforeItsCommitGoesBackInItsPlace() throws Exception {
    long handle = open();
    for (int i = 1; i <= 3; i++) {
      await(host.send(CALLER, new SendRequest(new Receipt(handle, i), i == 3 ? 1 : 3, new byte[] {(byte) i}, 0)));
    }
    assertArrayEquals(new byte[] {1}, await(host.receive(CALLER, new Receipt(handle, 4), 0, watch)).message());
    assertEquals(1, status().reserved());

    watch.close();
    QueueStatus after = status();
    assertEquals(0, after.reserved(), "back now, not at the lease's end");
    assertEquals(3, after.depth());
    for (int i = 1; i <= 3; i++) {
      Receipt r = new Receipt(handle, 10 + i);
      assertArrayEquals(new byte[] {(byte) i}, await(host.receive(CALLER, r, 0)).message());
      await(host.commit(CALLER, r));
    }
  }

  @Test
  void aReceiveSentAgainOverANewConnectionKeepsItsReservationWhenTheOldOneCloses() throws Exception {
    long handle = open();
    await(host.send(CALLER, new SendRequest(new Receipt(handle, 1), 0, new byte[] {8}, 0)));
    Receipt receipt = new Receipt(handle, 2);
    await(host.receive(CALLER, receipt, 0, watch));
    FakePeer again = new FakePeer();
    assertArrayEquals(new byte[] {8}, await(host.receive(CALLER, receipt, 0, again)).message());
    assertEquals(0, watch.reservations(), "the reservation is the new connection's");
    watch.close();
    assertEquals(1, status().reserved());
    await(host.commit(CALLER, receipt));
    again.close();
    assertEquals(0, status().depth());
  }

  @Test
  void aCloseThatCrossesTheReceiveSentAgainLeavesTheReservationToTheNewConnection() throws Exception {
    long handle = open();
    await(host.send(CALLER, new SendRequest(new Receipt(handle, 1), 0, new byte[] {8}, 0)));
    Receipt receipt = new Receipt(handle, 2);
    await(host.receive(CALLER, receipt, 0, watch));
    Runnable closed = watch.closing(); // the old connection's close has taken its actions
    await(host.receive(CALLER, receipt, 0, new FakePeer())); // and the receive sent again comes first
    closed.run();
    assertEquals(1, status().reserved(), "the new connection's now");
    await(host.commit(CALLER, receipt));
    assertEquals(0, status().depth());
  }
}
