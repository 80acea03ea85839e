package org.onyxrpc.mq;

import java.util.Arrays;

/**
 * A message as {@code mq_receive} returns it: its bytes and the priority it was sent with.
 *
 * @param message the bytes, exactly as sent; not copied
 * @param priority 0 .. {@link MessageQueues#MQ_PRIO_MAX} - 1
 */
public record ReceivedMessage(byte[] message, int priority) {
  @Override
  public boolean equals(Object o) {
    return o instanceof ReceivedMessage other && priority == other.priority && Arrays.equals(message, other.message);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(message) * 31 + priority;
  }

  @Override
  public String toString() {
    return "ReceivedMessage[" + message.length + " bytes, priority " + priority + "]";
  }
}
