package org.onyxrpc.mq;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * A call that may wait on the server (a send to a full queue, an arrival notification).
 * {@link #cancel} withdraws it there too, instead of only ceasing to wait. A wait without end is
 * made of bounded waits, each a new attempt with a new receipt, so that a server that died is
 * noticed within one attempt's deadline rather than never. An attempt whose call times out is
 * withdrawn too: it may still wait on the server, and must not get in after its caller was told
 * it failed.
 */
final class WaitingCall extends CompletableFuture<Void> {
  /** Withdraws an attempt on the server, and stops waiting for its call. */
  interface Withdrawal {
    /**
     * @param receipt the attempt's receipt
     * @param call the attempt's call, still waited for: the withdrawal cancels it when it chooses
     */
    void withdraw(Receipt receipt, CompletableFuture<Reply<Void>> call);
  }

  private final Supplier<Receipt> receipts;
  private final Function<Receipt, CompletableFuture<Reply<Void>>> attempt;
  private final Withdrawal withdraw;
  private final Wait wait;
  /** How long each attempt asks the server to wait, in milliseconds. */
  private final long waitMillis;
  private volatile CompletableFuture<Reply<Void>> current;
  private volatile Receipt receipt;

  private WaitingCall(Supplier<Receipt> receipts, Function<Receipt, CompletableFuture<Reply<Void>>> attempt,
      Withdrawal withdraw, Wait wait, long waitMillis) {
    this.receipts = receipts;
    this.attempt = attempt;
    this.withdraw = withdraw;
    this.wait = wait;
    this.waitMillis = waitMillis;
  }

  /** Starts the call, waiting as {@code wait} says, each attempt asking the server to wait {@code waitMillis}. */
  static WaitingCall start(Supplier<Receipt> receipts, Function<Receipt, CompletableFuture<Reply<Void>>> attempt,
      Withdrawal withdraw, Wait wait, long waitMillis) {
    WaitingCall call = new WaitingCall(receipts, attempt, withdraw, wait, waitMillis);
    call.next();
    return call;
  }

  private void next() {
    Receipt r = receipts.get();
    receipt = r;
    long started = System.nanoTime();
    CompletableFuture<Reply<Void>> call = attempt.apply(r);
    current = call;
    if (isDone()) { // cancelled, or ended by its caller, while the attempt before ended
      withdraw.withdraw(r, call);
      return;
    }
    Replies.unwrap(call).whenComplete((ok, failure) -> {
      if (failure == null) {
        super.complete(null);
        return;
      }
      Throwable cause = Replies.translate(failure);
      if (wait.repeats() && !isDone() && cause instanceof MessageQueueException e && e.error() == MqError.ETIMEDOUT) {
        MessageQueueException early = wait.endedEarly(started, waitMillis);
        if (early == null) {
          next();
          return;
        }
        super.completeExceptionally(early);
      } else {
        if (cause instanceof RpcException e && e.status() == RpcStatus.TIMEOUT) {
          // No answer by the deadline: the attempt may still wait on the server (a stalled one),
          // and get in after its caller was told it failed. Withdrawn, it gets in before or never.
          withdraw.withdraw(r, call);
        }
        super.completeExceptionally(wait.failure(cause));
      }
    });
  }

  /**
   * Its caller's own completion, as {@code completeOnTimeout} makes: withdraws the call as
   * {@link #cancel} does. Before, it went on waiting on the server and could get in after its
   * caller had been told it failed; the call's own ends go to the superclass.
   */
  @Override
  public boolean complete(Void value) {
    return withdrawnIf(super.complete(value));
  }

  /** Its caller's failing it, as {@code orTimeout} does: withdrawn, as {@link #complete(Void)}. */
  @Override
  public boolean completeExceptionally(Throwable failure) {
    return withdrawnIf(super.completeExceptionally(failure));
  }

  private boolean withdrawnIf(boolean ended) {
    if (ended) {
      withdraw.withdraw(receipt, current);
    }
    return ended;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      withdraw.withdraw(receipt, current);
    }
    return cancelled;
  }
}
