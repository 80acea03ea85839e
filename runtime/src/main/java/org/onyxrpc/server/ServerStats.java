package org.onyxrpc.server;

/**
 * Counters of what a server refused or dropped, read with {@link RpcServer#stats()}.
 *
 * @param calls calls handed to a procedure (NULL pings included)
 * @param malformedMessages messages dropped because their header could not be read
 * @param errorReplies calls answered with an error status (PROG_UNAVAIL, GARBAGE_ARGS, …)
 * @param rejectedConnections connections closed because the server was at its maximum
 * @param droppedDatagrams UDP calls dropped because too many were in flight or too large
 */
public record ServerStats(
    long calls,
    long malformedMessages,
    long errorReplies,
    long rejectedConnections,
    long droppedDatagrams) {}
