package org.onyxrpc.mq.internal.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.onyxrpc.mq.internal.wire.Receipt;

/**
 * A call waiting in a queue: its reply is sent when the future completes, so no thread waits
 * with it. A send carries its message; a receive carries none.
 *
 * @param <T> what the call answers
 */
final class Parked<T> {
  final Receipt receipt;
  final CompletableFuture<T> reply;
  final StoredMessage message;
  /** Its caller's connection: a message reserved for a waiting receive goes back if it closes. */
  final PeerWatch peer;
  ScheduledFuture<?> deadline;

  Parked(Receipt receipt, CompletableFuture<T> reply, StoredMessage message, PeerWatch peer) {
    this.receipt = receipt;
    this.reply = reply;
    this.message = message;
    this.peer = peer;
  }

  void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
    }
  }
}
