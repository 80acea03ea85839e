package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;

/**
 * A failure's text is the server's to choose: a hostile one could break a log line in two, or
 * colour a terminal. Before, it became the exception's message as sent.
 */
class ServerTextTest {
  @Test
  void aServersFailureTextIsQuotedOnOneLineWithItsControlsEscaped() {
    Throwable t = Replies.translate(new MqFailure(MqErrno.ENOENT, "no queue\nFAKE LOG LINE \u001b[31m\u2028"));
    MessageQueueException e = assertInstanceOf(MessageQueueException.class, t);
    assertEquals(MqError.ENOENT, e.error());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertEquals(-1, e.detail().indexOf('\u001b'), e.detail());
    assertEquals("no queue", e.detail().substring(0, 8));
  }

  @Test
  void anOrdinaryTextIsLeftAsItIs() {
    MessageQueueException e = (MessageQueueException) Replies.translate(
        new MqFailure(MqErrno.EAGAIN, "queue /jobs is full (10 of 10 messages)"));
    assertEquals("queue /jobs is full (10 of 10 messages)", e.detail());
  }
}
