package org.onyxrpc.mq.internal.server;

/**
 * Who owns a queue and what others may do with it, fixed at creation.
 *
 * @param uid the creator's user id
 * @param gid the creator's group id
 * @param mode permission bits, {@code 0777} at most
 */
record QueueOwner(int uid, int gid, int mode) {}
