package org.onyxrpc.server;

/**
 * Counters of what a server refused or dropped, read with {@link RpcServer#stats()}.
 *
 * @param calls calls handed to a procedure (NULL pings included)
 * @param malformedMessages messages dropped because their header could not be read
 * @param errorReplies calls answered with an error status (PROG_UNAVAIL, GARBAGE_ARGS, …)
 * @param rejectedConnections connections closed because the server was at its maximum
 * @param droppedDatagrams UDP calls dropped because too many were in flight or too large, or
 *     because they came from port 0, where no reply can be sent; and UDP replies dropped because
 *     the socket's send buffer was full with more replies waiting behind it
 * @param duplicatesReplayed retransmitted at-most-once calls answered with their saved reply
 * @param duplicatesInProgressDropped retransmissions dropped because the call was still running,
 *     or its reply was on its way over the connection they came on
 * @param outcomeUnknownReplies retransmissions refused because the server could not know whether
 *     their first transmission ran (after a restart, or once the cache forgot the call)
 * @param cachedReplies replies held by the duplicate request cache now (a call still running
 *     has none yet)
 * @param cachedReplyBytes bytes of those replies
 * @param droppedQueuedCalls calls (counted in {@code calls}) dropped before their procedure
 *     started, because their connection closed first: nobody was left to read their replies
 */
public record ServerStats(
    long calls,
    long malformedMessages,
    long errorReplies,
    long rejectedConnections,
    long droppedDatagrams,
    long duplicatesReplayed,
    long duplicatesInProgressDropped,
    long outcomeUnknownReplies,
    long cachedReplies,
    long cachedReplyBytes,
    long droppedQueuedCalls) {}
