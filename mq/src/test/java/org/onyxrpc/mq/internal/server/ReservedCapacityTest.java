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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.SendRequest;

/**
 * The rule for a reserved message (handed to a receive whose commit has not come): it is in the
 * queue until the commit, for {@code mq_getattr}'s count and for the full check alike, because it
 * may come back. So a sender is told full exactly when the count says so, and a message that
 * comes back never makes a queue hold more than its maxMessages.
 */
class ReservedCapacityTest {
  private static final Caller CALLER = new Caller(1000, 100, new int[0], "client");
  private final QueueHost host = new QueueHost(TestHostConfigs.inMemory());
  private final FakePeer receiver = new FakePeer();
  private long handle;
  private long receipts;

  ReservedCapacityTest() throws Exception {}

  @BeforeEach
  void open() throws Exception {
    handle = await(host.open(CALLER, new OpenRequest("/cap", Access.READ_WRITE, true, false, 0600, 2, 8, false)))
        .handle();
  }

  @AfterEach
  void stop() {
    host.close();
  }

  private static <T> T await(Future<T> call) throws Exception {
    return call.get(10, TimeUnit.SECONDS);
  }

  private Receipt next() {
    return new Receipt(handle, ++receipts);
  }

  private CompletableFuture<Void> send(int b, long timeoutMillis) {
    return host.send(CALLER, new SendRequest(next(), 0, new byte[] {(byte) b}, timeoutMillis));
  }

  private long currentMessages() throws Exception {
    return await(host.attributes(CALLER, handle)).currentMessages();
  }

  private static MqErrno errno(Future<?> call) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(MqFailure.class, e.getCause()).errno();
  }

  private byte receiveAndCommit() throws Exception {
    Receipt r = next();
    byte b = await(host.receive(CALLER, r, 0)).message()[0];
    await(host.commit(CALLER, r));
    return b;
  }

  @Test
  void aReservedMessageCountsUntilCommittedAndTheFullCheckSaysWhatTheCountSays() throws Exception {
    await(send(1, 0));
    await(send(2, 0));
    Receipt first = next();
    assertArrayEquals(new byte[] {1}, await(host.receive(CALLER, first, 0, receiver)).message());
    assertEquals(2, currentMessages(), "its receive has not completed");
    assertEquals(MqErrno.EAGAIN, errno(send(3, 0)), "full, as the count says");
    CompletableFuture<Void> waiting = send(3, -1);
    assertFalse(waiting.isDone());

    await(host.commit(CALLER, first)); // the receive completes: its place is free at once
    await(waiting);
    assertEquals(2, currentMessages());
    assertEquals(2, receiveAndCommit());
    assertEquals(3, receiveAndCommit());
    assertEquals(0, currentMessages());
  }

  @Test
  void aMessageThatComesBackNeverMakesTheQueueHoldMoreThanItsMaxMessages() throws Exception {
    await(send(1, 0));
    await(send(2, 0));
    await(host.receive(CALLER, next(), 0, receiver));
    CompletableFuture<Void> waiting = send(3, -1);

    receiver.close(); // the receiver died before its commit: its message comes back
    assertEquals(2, currentMessages());
    assertEquals(2, await(host.status(CALLER, "/cap")).depth());
    assertFalse(waiting.isDone(), "still full: the message that came back holds its place");

    assertEquals(1, receiveAndCommit(), "back first, in its place");
    await(waiting);
    assertEquals(2, receiveAndCommit());
    assertEquals(3, receiveAndCommit());
  }
}
