package org.onyxrpc.client;

/**
 * Counters a client keeps, read with {@link RpcClient#stats()}.
 *
 * @param calls calls started
 * @param retransmissions transmissions after a call's first (after a timeout or lost connection)
 * @param timeouts calls that got no reply within their deadline
 * @param lateReplies replies dropped because no call awaited their xid (a repeat answered twice,
 *     or a call that had timed out or been cancelled)
 * @param connects connections made (the first, and each reconnect)
 * @param outcomeUnknown at-most-once calls the server could not account for (see {@link
 *     org.onyxrpc.rpc.RpcStatus#OUTCOME_UNKNOWN})
 */
public record ClientStats(long calls, long retransmissions, long timeouts, long lateReplies,
    long connects, long outcomeUnknown) {}
