package org.onyxrpc.mq.internal.server;

import java.util.LinkedHashSet;
import org.onyxrpc.mq.internal.wire.Access;

/** An open queue description: mqd_t on the server. Touched only by the owner thread. */
final class Handle {
  /**
   * Withdrawn receipts remembered per handle, for a release that overtakes its receive or send,
   * or a cancelNotifyFor its registration.
   */
  private static final int TOMBSTONES_PER_HANDLE = 64;

  final long id;
  final HostedQueue queue;
  final int uid;
  final Access access;
  final Object client;
  private final LinkedHashSet<Long> released = new LinkedHashSet<>();
  long lastUsedNanos;
  /**
   * Calls waiting on this handle (a receive, a send, a notification): while there are any it is
   * in use, as a descriptor a thread is blocked on, and its lease does not end.
   */
  int waitingCalls;

  Handle(long id, HostedQueue queue, Caller caller, Access access, long now) {
    this.id = id;
    this.queue = queue;
    this.uid = caller.uid();
    this.client = caller.client();
    this.access = access;
    this.lastUsedNanos = now;
  }

  /** A release or cancel found nothing for this call: remembered, so that the call, if it comes late, fails. */
  void rememberReleased(long sequence) {
    released.add(sequence);
    if (released.size() > TOMBSTONES_PER_HANDLE) {
      released.remove(released.iterator().next());
    }
  }

  boolean wasReleased(long sequence) {
    return released.contains(sequence);
  }
}
