package org.onyxrpc.client;

/**
 * Counters a client keeps, read with {@link RpcClient#stats()}.
 *
 * @param calls calls sent
 * @param timeouts calls that got no reply in time
 * @param lateReplies replies dropped because no call waited for their xid (late or unknown)
 * @param connects connections made (the first, and each reconnect)
 */
public record ClientStats(long calls, long timeouts, long lateReplies, long connects) {}
