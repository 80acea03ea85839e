package org.onyxrpc.mq.internal.server;

import java.util.concurrent.ScheduledFuture;

/**
 * A message handed to a receiver and not yet committed; it goes back to its place when released
 * or when its lease ends.
 *
 * @param message the message
 * @param lease the timer that puts it back
 */
record Reservation(StoredMessage message, ScheduledFuture<?> lease) {}
