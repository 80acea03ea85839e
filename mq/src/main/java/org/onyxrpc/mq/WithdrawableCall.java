package org.onyxrpc.mq;

import java.util.concurrent.CompletableFuture;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;

/**
 * A call that waits on the server (a blocked send, an arrival notification) and that
 * {@link #cancel} withdraws there too, with {@code withdraw}, instead of only ceasing to wait.
 */
final class WithdrawableCall extends CompletableFuture<Void> {
  private final Runnable withdraw;
  private volatile CompletableFuture<?> call;

  private WithdrawableCall(Runnable withdraw) {
    this.withdraw = withdraw;
  }

  static WithdrawableCall of(CompletableFuture<Reply<Void>> call, Runnable withdraw) {
    WithdrawableCall w = new WithdrawableCall(withdraw);
    w.call = call;
    call.thenCompose(Replies::unwrap).whenComplete((value, failure) -> {
          if (failure != null) {
            w.completeExceptionally(Replies.translate(failure));
          } else {
            w.complete(null);
          }
        });
    return w;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      call.cancel(false);
      withdraw.run();
    }
    return cancelled;
  }
}
