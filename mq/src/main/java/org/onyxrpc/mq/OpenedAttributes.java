package org.onyxrpc.mq;

import org.onyxrpc.mq.internal.wire.CurrentAttributes;
import org.onyxrpc.mq.internal.wire.MqConstants;

/**
 * Checks the attributes a queue server gave in its reply to an open: a handle keeps them for its
 * life, sizing every send and receive by them, so a server's negative or absurd message size
 * would fail each later send EMSGSIZE and each receive EIO. No queue has such attributes: the
 * open is refused instead.
 */
final class OpenedAttributes {
  private OpenedAttributes() {}

  /**
   * Why no queue {@code name} can have {@code given}, or null: fewer than one message, or a
   * message size outside 1 .. MQ_MSGSIZE_LIMIT (the longest message the protocol carries).
   */
  static MessageQueueException refusal(String name, CurrentAttributes given) {
    if (given.maxMessages() >= 1 && given.messageSize() >= 1 && given.messageSize() <= MqConstants.MQ_MSGSIZE_LIMIT) {
      return null;
    }
    return new MessageQueueException(MqError.EIO, "the queue server opened " + name + " with " + given.maxMessages()
        + " messages of " + given.messageSize() + " bytes, which no queue has (at least 1 message, of 1 to "
        + MqConstants.MQ_MSGSIZE_LIMIT + " bytes); the handle it gave was closed again");
  }
}
