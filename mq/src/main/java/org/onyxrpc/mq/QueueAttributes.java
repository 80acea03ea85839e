package org.onyxrpc.mq;

/**
 * A queue's attributes, as {@code struct mq_attr}: the two fixed at creation, how many messages
 * it holds now, and whether this handle is non-blocking ({@code O_NONBLOCK}).
 *
 * <p>As with {@code struct mq_attr}, any numbers can be written here: the server checks them
 * when they create a queue ({@link MqError#EINVAL} for less than 1 or beyond its limits), and
 * ignores them when the queue exists already.
 *
 * @param maxMessages {@code mq_maxmsg}: how many messages it holds at most
 * @param messageSize {@code mq_msgsize}: the longest message, in bytes
 * @param currentMessages {@code mq_curmsgs}: messages not yet taken, those handed to a receive
 *     whose commit has not come included (they may come back); a send finds the queue full exactly
 *     when this is {@code maxMessages} (ignored when creating)
 * @param nonBlocking {@code mq_flags & O_NONBLOCK}, a property of the handle
 */
public record QueueAttributes(long maxMessages, long messageSize, long currentMessages, boolean nonBlocking) {
  /**
   * What {@code mq_open} with a {@code NULL} attr gives on Linux ({@code /proc/sys/fs/mqueue/}
   * {@code msg_default} and {@code msgsize_default}): 10 messages of 8,192 bytes. Creating with
   * this constant (or with null attributes) asks for the server's defaults: these, or the
   * server's {@code maxMessages} and {@code maxMessageSize} where they are lower, as Linux takes
   * {@code msg_max} and {@code msgsize_max} then. An equal value made with {@link #of} asks for 10
   * × 8,192 exactly, {@link MqError#EINVAL} beyond the server's limits.
   */
  public static final QueueAttributes DEFAULTS = of(10, 8192);

  /**
   * The attributes to create a queue with: {@code mq_maxmsg} and {@code mq_msgsize}.
   *
   * @param maxMessages {@code mq_maxmsg}, at most the server's {@code maxMessages}
   * @param messageSize {@code mq_msgsize} in bytes, at most the server's {@code maxMessageSize}
   * @return the attributes, with no messages held and blocking
   */
  public static QueueAttributes of(long maxMessages, long messageSize) {
    return new QueueAttributes(maxMessages, messageSize, 0, false);
  }
}
