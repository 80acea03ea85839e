package org.onyxrpc.mq.internal.server;

/**
 * How a call that waits on a queue learns that its caller went (its connection closed): the
 * runtime's {@code CallContext.onConnectionClosed}. A call parked for a caller who can no longer
 * read its reply would otherwise hold its place, its bytes or the message reserved for it until
 * its deadline, its handle's lease or its reservation's lease.
 */
@FunctionalInterface
public interface PeerWatch {
  /** Calls that nothing watches (in-process callers, tests). */
  PeerWatch NONE = action -> { };

  /** Runs {@code action} once, quickly and on any thread, if the caller goes before the call ends. */
  void onGone(Runnable action);
}
