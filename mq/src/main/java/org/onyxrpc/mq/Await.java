package org.onyxrpc.mq;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.onyxrpc.rpc.RpcException;

/** The blocking forms: wait for the async call; an interrupt withdraws it if it still can be. */
final class Await {
  private Await() {}

  static <T> T result(CompletableFuture<T> call) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return call.get();
        } catch (InterruptedException e) {
          interrupted = true;
          // A receive that is committing cannot be withdrawn: wait for its message instead.
          if (call.cancel(true)) {
            throw new MessageQueueException(MqError.ECANCELED, "interrupted while waiting");
          }
        } catch (CancellationException e) {
          throw new MessageQueueException(MqError.ECANCELED, "the call was cancelled");
        } catch (ExecutionException e) {
          Throwable cause = Replies.translate(e.getCause());
          if (cause instanceof MessageQueueException failure) {
            throw new MessageQueueException(failure.error(), failure.detail(), failure);
          }
          if (cause instanceof RpcException rpc) {
            // Made again here, as the runtime's sync calls make it: the stack shows the caller.
            throw rpc.rethrownHere();
          }
          if (cause instanceof RuntimeException unchecked) {
            throw unchecked;
          }
          if (cause instanceof Error error) {
            throw error;
          }
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
