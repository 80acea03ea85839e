package org.onyxrpc.mq.internal.server;

import java.util.Comparator;

/**
 * A message held by a queue. Its sequence number, given on arrival, keeps FIFO order within a
 * priority, also when a released message goes back.
 *
 * @param priority 0 .. MQ_PRIO_MAX - 1
 * @param sequence its place among the queue's arrivals
 * @param payload its bytes; not copied, never modified
 */
record StoredMessage(int priority, long sequence, byte[] payload) {
  /** Highest priority first, then oldest first. */
  static final Comparator<StoredMessage> DELIVERY_ORDER =
      Comparator.comparingInt((StoredMessage m) -> -m.priority()).thenComparingLong(StoredMessage::sequence);
}
