package org.onyxrpc.mq;

/**
 * A queue's attributes, as {@code struct mq_attr}: the two fixed at creation, how many messages
 * it holds now, and whether this handle is non-blocking ({@code O_NONBLOCK}).
 *
 * @param maxMessages {@code mq_maxmsg}: how many messages it holds at most
 * @param messageSize {@code mq_msgsize}: the longest message, in bytes
 * @param currentMessages {@code mq_curmsgs}: messages not yet taken (0 in creation options)
 * @param nonBlocking {@code mq_flags & O_NONBLOCK}, a property of the handle
 */
public record QueueAttributes(long maxMessages, long messageSize, long currentMessages, boolean nonBlocking) {
  /** Rejects what no queue can have. */
  public QueueAttributes {
    if (maxMessages < 1 || messageSize < 1 || currentMessages < 0) {
      throw new IllegalArgumentException("maxMessages and messageSize must be positive: " + maxMessages
          + ", " + messageSize);
    }
  }

  /** The attributes to create a queue with: {@code mq_maxmsg} and {@code mq_msgsize}. */
  public static QueueAttributes of(long maxMessages, long messageSize) {
    return new QueueAttributes(maxMessages, messageSize, 0, false);
  }
}
