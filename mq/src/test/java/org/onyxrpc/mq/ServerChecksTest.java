package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
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
import org.onyxrpc.mq.internal.wire.SendRequest;

/** The server's own checks, reached with raw calls that skip the client library's checks. */
class ServerChecksTest {
  private QueueFixture fixture;
  private RpcClient rpc;
  private long handle;

  @BeforeEach
  void start() throws Exception {
    fixture = new QueueFixture();
    rpc = fixture.client(1000, 100);
    handle = value(rpc.call(MessageQueueServiceV1.OPEN,
        new OpenRequest("/raw", Access.READ_WRITE, true, false, 0666, 4, 8, false))).handle();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private static <T> T value(Reply<T> reply) {
    assertNull(reply.exception());
    return reply.value();
  }

  private static MqErrno errno(Reply<?> reply) {
    return ((MqFailure) reply.exception()).errno();
  }

  private Reply<Void> send(RpcClient client, long h, int priority, byte[] message) {
    return client.call(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(h, 1), priority, message, 0));
  }

  @Test
  void oversizeAndPriorityAreCheckedByTheServer() {
    assertEquals(MqErrno.EMSGSIZE, errno(send(rpc, handle, 0, new byte[9])));
    assertEquals(MqErrno.EINVAL, errno(send(rpc, handle, 32768, new byte[1])));
    assertEquals(MqErrno.EINVAL, errno(send(rpc, handle, -1, new byte[1])));
  }

  @Test
  void aHandleWorksOnlyForTheUidThatOpenedIt() {
    RpcClient stranger = fixture.client(2000, 200);
    assertEquals(MqErrno.EBADF, errno(send(stranger, handle, 0, new byte[1])));
    assertEquals(MqErrno.EBADF, errno(stranger.call(MessageQueueServiceV1.CLOSE, handle)));
    value(send(rpc, handle, 0, new byte[1]));
  }

  @Test
  void aReadOnlyHandleCannotSendOnTheServerEither() {
    long readOnly = value(rpc.call(MessageQueueServiceV1.OPEN,
        new OpenRequest("/raw", Access.READ_ONLY, false, false, 0, 0, 0, false))).handle();
    assertEquals(MqErrno.EBADF, errno(send(rpc, readOnly, 0, new byte[1])));
    assertEquals(MqErrno.EBADF, errno(send(rpc, readOnly, 0, new byte[9])), "the handle before the size");
  }

  @Test
  void aBadPriorityIsEinvalWhateverTheHandle() {
    // Linux checks msg_prio before it looks up the descriptor.
    long readOnly = value(rpc.call(MessageQueueServiceV1.OPEN,
        new OpenRequest("/raw", Access.READ_ONLY, false, false, 0, 0, 0, false))).handle();
    assertEquals(MqErrno.EINVAL, errno(send(rpc, readOnly, 32768, new byte[1])));
    assertEquals(MqErrno.EINVAL, errno(send(rpc, handle + 1, 32768, new byte[1])));
  }

  @Test
  void releaseGivesAReservedMessageBackAtOnceAndAReleasedReceiptReservesNothing() {
    value(send(rpc, handle, 0, new byte[] {5}));
    Message reserved = value(rpc.call(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(handle, 10), 0)));
    assertEquals(5, reserved.message()[0]);
    assertEquals(MqErrno.EAGAIN,
        errno(rpc.call(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(handle, 11), 0))));
    value(rpc.call(MessageQueueServiceV1.RELEASE, new Receipt(handle, 10)));
    // Committing a released receipt fails: the message is no longer this receipt's.
    assertEquals(MqErrno.ETIMEDOUT, errno(rpc.call(MessageQueueServiceV1.COMMIT, new Receipt(handle, 10))));
    // A release that overtook its receive: the receive, arriving later, takes nothing.
    value(rpc.call(MessageQueueServiceV1.RELEASE, new Receipt(handle, 12)));
    assertEquals(MqErrno.ECANCELED,
        errno(rpc.call(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(handle, 12), 0))));
    Message again = value(rpc.call(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(handle, 13), 0)));
    assertEquals(5, again.message()[0]);
    value(rpc.call(MessageQueueServiceV1.COMMIT, new Receipt(handle, 13)));
    assertEquals(MqErrno.EAGAIN,
        errno(rpc.call(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(handle, 14), 0))));
  }

  @Test
  void aReceiveAskedAgainForTheSameReceiptGetsTheSameMessageNotASecond() {
    value(send(rpc, handle, 0, new byte[] {1}));
    value(rpc.call(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(handle, 2), 0, new byte[] {2}, 0)));
    // Two separate calls (new xids: not the duplicate cache's business) with one receipt.
    Receipt receipt = new Receipt(handle, 20);
    Message first = value(rpc.call(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(receipt, 0)));
    Message again = value(rpc.call(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(receipt, 0)));
    assertEquals(first, again);
    value(rpc.call(MessageQueueServiceV1.COMMIT, receipt));
    Message second = value(rpc.call(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(handle, 21), 0)));
    assertEquals(2, second.message()[0]);
  }

  @Test
  void aReceiveWaitingAgainForTheSameReceiptSupersedesTheFirstAndLosesNoMessage() {
    // Two waiting calls (new xids) with one receipt. Before, both waited: the first message was
    // reserved for the receipt, then the second's reservation replaced it in the map, and the
    // first was in neither the queue nor a reservation, yet counted in its bytes: lost.
    Receipt receipt = new Receipt(handle, 50);
    CompletableFuture<Reply<Message>> first = rpc.callAsync(MessageQueueServiceV1.RECEIVE,
        new ReceiveRequest(receipt, -1));
    fixture.awaitStats("/raw", s -> s.waitingReceivers() == 1);
    CompletableFuture<Reply<Message>> again = rpc.callAsync(MessageQueueServiceV1.RECEIVE,
        new ReceiveRequest(receipt, -1));
    assertEquals(MqErrno.ECANCELED, errno(first.join()), "the first withdrawn, not left waiting beside the second");
    fixture.awaitStats("/raw", s -> s.waitingReceivers() == 1);
    value(send(rpc, handle, 0, new byte[] {1}));
    value(rpc.call(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(handle, 2), 0, new byte[] {2}, 0)));
    assertEquals(1, value(again.join()).message()[0]);
    value(rpc.call(MessageQueueServiceV1.COMMIT, receipt));
    QueueStats left = fixture.awaitStats("/raw", s -> true);
    assertEquals(1, left.depth());
    assertEquals(1, left.bytes());
    Message second = value(rpc.call(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(handle, 51), 0)));
    assertEquals(2, second.message()[0]);
  }

  @Test
  void aTimeoutBelowMinusOneIsEinvalWhenTheCallWouldWait() {
    // Before, any negative timeout waited without end: these calls were never answered.
    CallOptions shortWait = CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(10));
    Receipt receiving = new Receipt(handle, 30);
    assertEquals(MqErrno.EINVAL, errno(rpc.call(MessageQueueServiceV1.RECEIVE,
        new ReceiveRequest(receiving, -2), shortWait)), "an empty queue");
    for (int i = 0; i < 4; i++) {
      value(rpc.call(MessageQueueServiceV1.SEND,
          new SendRequest(new Receipt(handle, 40 + i), 0, new byte[] {(byte) i}, Long.MIN_VALUE)));
    }
    assertEquals(MqErrno.EINVAL, errno(rpc.call(MessageQueueServiceV1.SEND,
        new SendRequest(new Receipt(handle, 44), 0, new byte[] {4}, -2), shortWait)), "a full queue");
    // As POSIX allows (Linux's kernel checks the timeout always), a call that need not wait does not look at it.
    assertEquals(0, value(rpc.call(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(receiving, -2))).message()[0]);
  }

  @Test
  void aDurableQueueNeedsADataDirectory() {
    assertEquals(MqErrno.EINVAL, errno(rpc.call(MessageQueueServiceV1.OPEN,
        new OpenRequest("/durable", Access.READ_WRITE, true, false, 0600, 1, 1, true))));
  }
}
