package org.onyxrpc.mq;

import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.COMMIT;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.RECEIVE;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.RELEASE;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.ReceiveRequest;

/**
 * One receive, in two steps: {@code receive} reserves a message for this call's receipt,
 * {@code commit} takes it. Until the commit is sent the call can be withdrawn, and withdrawing
 * sends {@code release}, which puts a reserved message back where it was (so does the
 * reservation's lease, if the release is lost). {@link #cancel} therefore answers true only while
 * no message has been taken for this caller, and false once the commit is on its way: the caller
 * then gets the message.
 */
final class ReceiveCall extends CompletableFuture<ReceivedMessage> {
  private enum State { WAITING, COMMITTING, DONE, WITHDRAWN }

  private final RpcClient rpc;
  private final Receipt receipt;
  private final AtomicReference<State> state = new AtomicReference<>(State.WAITING);
  private volatile CompletableFuture<Reply<Message>> reserving;

  private ReceiveCall(RpcClient rpc, Receipt receipt) {
    this.rpc = rpc;
    this.receipt = receipt;
  }

  static ReceiveCall start(RpcClient rpc, Receipt receipt, long timeoutMillis, CallOptions options) {
    ReceiveCall call = new ReceiveCall(rpc, receipt);
    CompletableFuture<Reply<Message>> reserve =
        rpc.callAsync(RECEIVE, new ReceiveRequest(receipt, timeoutMillis), options);
    call.reserving = reserve;
    reserve.whenComplete(call::reserved);
    return call;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (!state.compareAndSet(State.WAITING, State.WITHDRAWN)) {
      return false;
    }
    reserving.cancel(false);
    release();
    return super.cancel(mayInterruptIfRunning);
  }

  private void reserved(Reply<Message> reply, Throwable failure) {
    if (failure != null || reply.exception() != null) {
      if (state.compareAndSet(State.WAITING, State.DONE)) {
        if (failure != null) {
          // The reply may be what was lost: a reservation made for it goes back now, not at its lease.
          release();
        }
        completeExceptionally(Replies.translate(failure != null ? failure : reply.exception()));
      }
      return;
    }
    if (!state.compareAndSet(State.WAITING, State.COMMITTING)) {
      // Withdrawn while the reply was on its way; release again now that the reservation exists.
      release();
      return;
    }
    Message message = reply.value();
    rpc.callAsync(COMMIT, receipt).whenComplete((committed, error) -> {
      state.set(State.DONE);
      if (error != null) {
        completeExceptionally(Replies.translate(error));
      } else if (committed.exception() != null) {
        completeExceptionally(Replies.translate(committed.exception()));
      } else {
        complete(new ReceivedMessage(message.message(), message.priority()));
      }
    });
  }

  private void release() {
    rpc.callAsync(RELEASE, receipt).exceptionally(e -> null);
  }
}
