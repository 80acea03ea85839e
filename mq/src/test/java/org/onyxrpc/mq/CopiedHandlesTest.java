package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.ReceiveRequest;
import org.onyxrpc.mq.internal.wire.SendRequest;
import org.onyxrpc.testing.LoopbackHosts;

/**
 * A handle id read off the wire (plaintext TCP) or guessed, used by another host claiming the
 * same AUTH_SYS uid: the uid is only claimed, so the handle is also bound to the client it was
 * opened from (its IP address, an IPv6 address's /64; the kernel's uid on a Unix socket).
 */
class CopiedHandlesTest {
  private static final InetAddress A = LoopbackHosts.host("127.0.0.2");
  private static final InetAddress B = LoopbackHosts.host("127.0.0.3");

  private static MqErrno errno(Reply<?> reply) {
    return reply.exception() == null ? null : ((MqFailure) reply.exception()).errno();
  }

  @Test
  void aHandleCopiedToAnotherHostIsNotItsEvenUnderTheSameUid() throws Exception {
    try (QueueFixture f = new QueueFixture(QueueServer.builder().build());
        RawQueueClient owner = new RawQueueClient(f.server.port(), A, 1000);
        RawQueueClient thief = new RawQueueClient(f.server.port(), B, 1000)) {
      long h = owner.call(MessageQueueServiceV1.OPEN,
          new OpenRequest("/mine", Access.READ_WRITE, true, false, 0600, 4, 8, false)).value().handle();
      assertNull(owner.call(MessageQueueServiceV1.SEND,
          new SendRequest(new Receipt(h, 1), 0, new byte[] {42}, 0)).exception());

      assertEquals(MqErrno.EBADF, errno(thief.call(MessageQueueServiceV1.RECEIVE,
          new ReceiveRequest(new Receipt(h, 1), 0))));
      assertEquals(MqErrno.EBADF, errno(thief.call(MessageQueueServiceV1.SEND,
          new SendRequest(new Receipt(h, 2), 0, new byte[] {7}, 0))));
      assertEquals(MqErrno.EBADF, errno(thief.call(MessageQueueServiceV1.CLOSE, h)));
      assertEquals(1, f.awaitStats("/mine", s -> true).depth(), "nothing taken, nothing added");
      assertEquals(0, f.awaitStats("/mine", s -> true).reserved());

      // The owner's host over a new connection (a client that reconnected) still has it.
      try (RawQueueClient again = new RawQueueClient(f.server.port(), A, 1000)) {
        assertEquals(42, again.call(MessageQueueServiceV1.RECEIVE,
            new ReceiveRequest(new Receipt(h, 3), 0)).value().message()[0]);
        assertNull(again.call(MessageQueueServiceV1.CLOSE, h).exception());
      }
    }
  }
}
