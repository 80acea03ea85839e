package org.onyxrpc.mq;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqFailure;

/** Turns the wire's replies and failures into this package's results and exceptions. */
final class Replies {
  private Replies() {}

  /** The reply's value, or its declared failure as a {@link MessageQueueException}. */
  static <T> CompletableFuture<T> unwrap(Reply<T> reply) {
    return reply.exception() == null
        ? CompletableFuture.completedFuture(reply.value())
        : CompletableFuture.failedFuture(translate(reply.exception()));
  }

  /** The failure a caller should see: declared ones as {@link MessageQueueException}. */
  static Throwable translate(Throwable failure) {
    Throwable cause = (failure instanceof CompletionException || failure instanceof ExecutionException)
        && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof MqFailure declared) {
      // The server chose the text: one line, its control characters escaped, before any log shows it.
      return new MessageQueueException(MqError.valueOf(declared.errno().name()),
          RateLimitedLog.escaped(declared.detail()));
    }
    return cause;
  }
}
