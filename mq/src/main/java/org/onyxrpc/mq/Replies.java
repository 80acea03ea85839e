package org.onyxrpc.mq;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;

/** Turns the wire's replies and failures into this package's results and exceptions. */
final class Replies {
  private Replies() {}

  /** {@link #unwrap(CompletableFuture, Function)} of the reply's value as it is. */
  static <T> CompletableFuture<T> unwrap(CompletableFuture<Reply<T>> call) {
    return unwrap(call, CompletableFuture::completedFuture);
  }

  /**
   * The caller's future of {@code call}: the reply's value turned by {@code then}, or the failure
   * as {@link #translate} gives it. A future of its own rather than {@code thenCompose}'s
   * dependent stage, as the generated async stubs return, so that it fails with the
   * {@link MessageQueueException} or the {@code RpcException} itself (a dependent stage's
   * {@code handle} and {@code exceptionally} see a {@code CompletionException} around it), and so
   * that cancelling it cancels the call, which stops its retransmissions (cancelling a dependent
   * stage left the call running until its deadline); so does its caller's ending it first
   * otherwise, as {@code orTimeout} does.
   */
  static <T, R> CompletableFuture<R> unwrap(CompletableFuture<Reply<T>> call,
      Function<? super T, ? extends CompletionStage<R>> then) {
    return unwrap(call, then, null, null);
  }

  /**
   * {@link #unwrap(CompletableFuture)} of a close: a server that holds no such handle (EBADF: it
   * restarted, or the handle's lease ended) has it closed already, which is what the caller
   * asked for. Told as a failure, a try-with-resources whose sends all went in threw, and a
   * caller retrying the block sent them again.
   */
  static CompletableFuture<Void> unwrapClose(CompletableFuture<Reply<Void>> call) {
    return unwrap(call, CompletableFuture::completedFuture, null, MqErrno.EBADF);
  }

  /**
   * As {@link #unwrap(CompletableFuture, Function)}, for a call whose success holds a place on
   * the server (an open handle): cancelling the caller's future does not cancel the call, whose
   * reply alone names what it took, and a value that arrives once the caller no longer wants it
   * goes to {@code undo}, which gives it back. Cancelling the call instead would drop a reply
   * that may already have come, and its handle with it, counted against the caller's per-client
   * limit until its lease ran out.
   */
  static <T, R> CompletableFuture<R> unwrapUndoable(CompletableFuture<Reply<T>> call,
      Function<? super T, ? extends CompletionStage<R>> then, Consumer<? super R> undo) {
    return unwrap(call, then, Objects.requireNonNull(undo, "undo"), null);
  }

  /** {@code done}: the failure that says what the call asked for holds already (null: none does). */
  private static <T, R> CompletableFuture<R> unwrap(CompletableFuture<Reply<T>> call,
      Function<? super T, ? extends CompletionStage<R>> then, Consumer<? super R> undo, MqErrno done) {
    CompletableFuture<R> result = new CompletableFuture<>();
    call.whenComplete((reply, failure) -> {
      if (failure == null && reply.exception() instanceof MqFailure f && f.errno() == done) {
        result.complete(null);
        return;
      }
      if (failure != null || reply.exception() != null) {
        result.completeExceptionally(translate(failure != null ? failure : reply.exception()));
        return;
      }
      CompletionStage<R> next;
      try {
        next = then.apply(reply.value());
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
        return;
      }
      next.whenComplete((value, error) -> {
        if (error != null) {
          result.completeExceptionally(translate(error));
        } else if (!result.complete(value) && undo != null) {
          undo.accept(value); // cancelled meanwhile: nobody else will give it back
        }
      });
    });
    if (undo == null) {
      // The caller's future ended first (cancelled, orTimeout): the call is given up.
      result.whenComplete((value, failure) -> {
        if (!call.isDone()) {
          call.cancel(true);
        }
      });
    }
    return result;
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
