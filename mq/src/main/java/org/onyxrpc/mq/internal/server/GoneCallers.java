package org.onyxrpc.mq.internal.server;

import java.util.concurrent.CompletableFuture;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.server.NoReply;

/**
 * A call left waiting on a queue (a send, a receive, a notification) ends at once if its caller
 * goes, as a process's calls end when it dies: rather than hold its place and its bytes until its
 * deadline or its handle's lease, and take a message that would wait for a commit until the
 * reservation's lease. (A message reserved for a caller that went is the reservation's own watch:
 * {@code HostedQueue.watch}.)
 */
final class GoneCallers {
  private final OwnerThread owner;
  private final HandleTable handles;

  GoneCallers(OwnerThread owner, HandleTable handles) {
    this.owner = owner;
    this.handles = handles;
  }

  /** On the owner thread, once the call has been handed to its queue: watched if it waits. */
  void watchWhileParked(Receipt receipt, CompletableFuture<?> reply, PeerWatch watch) {
    if (!reply.isDone()) {
      watch.onGone(() -> owner.execute(() -> callerGone(receipt, reply)));
    }
  }

  /**
   * The caller of a waiting call went. The call ends with no reply (nobody reads it), so that the
   * duplicate request cache keeps nothing for it: the same call sent again over a new connection,
   * by a client that only lost its connection, runs again. A message reserved for a receive as
   * its caller went (the close and the message crossed) goes back by the reservation's own watch
   * of the connection; a client that sends the receive again, and gets the saved reply, finds the
   * reservation gone when it commits (ETIMEDOUT), and asks again.
   */
  private void callerGone(Receipt receipt, CompletableFuture<?> reply) {
    Handle h = handles.find(receipt.handle());
    if (h != null) { // else closed meanwhile: its calls ended and its reservations went back with it
      h.queue.withdraw(reply, new NoReply("its caller's connection closed while it waited"));
    }
  }
}
