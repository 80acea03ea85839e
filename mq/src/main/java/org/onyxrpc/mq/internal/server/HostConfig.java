package org.onyxrpc.mq.internal.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The limits of one queue host, copied from the public builder.
 *
 * @param maxQueues queues hosted at once, unlinked ones still open included
 * @param maxMessages the largest mq_maxmsg a queue may be created with
 * @param maxMessageSize the largest mq_msgsize a queue may be created with
 * @param maxTotalBytes the sum of maxMessages × (messageSize + 320 bytes of overhead) over every queue
 * @param maxQueuesPerClient queues one client (network address) created that are still hosted
 * @param maxTotalBytesPerClient the same sum over those queues
 * @param maxWaitersPerQueue parked senders, and parked receivers, per queue; half of them per client
 * @param maxHandles open handles of all clients together
 * @param maxHandlesPerClient open handles of one client (network address)
 * @param maxWaitingSendBytes message bytes of all parked senders together
 * @param maxWaitingSendBytesPerClient message bytes of one client's parked senders
 * @param reservationLease how long a reserved message waits for its commit before it goes back
 * @param handleLease how long a handle no call uses stays open
 * @param dataDirectory where durable queues keep their logs; null: no durable queues
 */
public record HostConfig(
    int maxQueues,
    long maxMessages,
    long maxMessageSize,
    long maxTotalBytes,
    int maxQueuesPerClient,
    long maxTotalBytesPerClient,
    int maxWaitersPerQueue,
    int maxHandles,
    int maxHandlesPerClient,
    long maxWaitingSendBytes,
    long maxWaitingSendBytesPerClient,
    Duration reservationLease,
    Duration handleLease,
    Path dataDirectory) {}
