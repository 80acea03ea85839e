package org.onyxrpc.client;

/**
 * Counters a client keeps, read with {@link RpcClient#stats()}.
 *
 * @param calls calls started, the NULL ping a client sends before its first call (to learn
 *     whether the server filters duplicates) among them, and the one it sends again before an
 *     at-most-once call goes again on a new connection, or after a server answered untagged
 * @param retransmissions transmissions after a call's first (after a timeout or lost connection)
 * @param timeouts calls that got no reply within their deadline
 * @param lateReplies replies dropped because no call awaited their xid (a repeat answered twice,
 *     or a call that had timed out or been cancelled)
 * @param connects connections made (the first, and each reconnect)
 * @param outcomeUnknown calls that ended {@link org.onyxrpc.rpc.RpcStatus#OUTCOME_UNKNOWN}: an
 *     at-most-once call the server could not account for, or a call of any semantics that went
 *     out on a connection lost before its reply and could not be sent again (the client's own
 *     NULL pings are not counted)
 */
public record ClientStats(long calls, long retransmissions, long timeouts, long lateReplies,
    long connects, long outcomeUnknown) {}
