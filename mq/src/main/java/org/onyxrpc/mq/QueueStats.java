package org.onyxrpc.mq;

import org.onyxrpc.mq.internal.wire.QueueStatus;

/**
 * One queue's numbers at one moment.
 *
 * @param name the queue's name
 * @param depth messages held, those reserved for a receiver that has not committed included
 * @param bytes their bytes
 * @param reserved messages handed to a receiver and not yet committed
 * @param waitingSenders senders waiting for room
 * @param waitingReceivers receivers waiting for a message
 * @param openHandles handles open on it
 * @param maxMessages {@code mq_maxmsg}
 * @param messageSize {@code mq_msgsize}
 * @param durable whether its messages survive a server restart
 * @param unlinked unlinked, alive until its last handle closes
 * @param notifying a handle holds its arrival notification ({@code mq_notify})
 */
public record QueueStats(String name, long depth, long bytes, long reserved, int waitingSenders,
    int waitingReceivers, int openHandles, long maxMessages, long messageSize, boolean durable,
    boolean unlinked, boolean notifying) {

  static QueueStats of(QueueStatus s) {
    return new QueueStats(s.name(), s.depth(), s.bytes(), s.reserved(), s.waitingSenders(),
        s.waitingReceivers(), s.openHandles(), s.maxMessages(), s.messageSize(), s.durable(), s.unlinked(),
        s.notifying());
  }
}
