package org.onyxrpc.client;

import java.util.concurrent.CompletableFuture;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;

/**
 * What calls go through: one connection ({@link RpcClient}), or every instance of a service
 * found in a directory ({@code DirectoryClient}, package {@code org.onyxrpc.directory.remote}).
 * Generated stubs take one, and behave the same over either.
 *
 * <p>Every failure is an {@link RpcException}; its {@link org.onyxrpc.rpc.RpcStatus} says what is
 * known of whether the procedure ran. A sync method throws a new exception made on the calling
 * thread, whose cause is the one made where the failure was found.
 */
public interface RpcCaller {
  /**
   * Calls {@code procedure} and waits for its result.
   *
   * @param procedure the procedure and its codecs, such as a generated holder's constant
   * @param args the arguments, encoded with the procedure's codec
   * @param options the deadline, attempt timeout and promise of this call
   * @param <A> the arguments' type
   * @param <R> the result's type
   * @return the decoded result
   * @throws RpcException with the reply's status, or TIMEOUT, UNAVAILABLE, OUTCOME_UNKNOWN,
   *     RESOURCE_EXHAUSTED, CANCELLED (interrupted, or the client closed), INTERNAL (arguments
   *     its codec cannot encode, or a reply it cannot decode)
   * @throws IllegalStateException made on an {@link RpcClient}'s own event loop (an async call's
   *     callback), which would wait for the reply only that loop reads; not sent
   */
  <A, R> R call(Procedure<A, R> procedure, A args, CallOptions options);

  /**
   * Calls {@code procedure} without waiting. The future completes with the result or
   * exceptionally with an {@link RpcException}; cancelling it stops the call's retransmissions
   * and completes it with a {@link java.util.concurrent.CancellationException}.
   *
   * @param procedure the procedure and its codecs, such as a generated holder's constant
   * @param args the arguments, encoded with the procedure's codec
   * @param options the deadline, attempt timeout and promise of this call
   * @param <A> the arguments' type
   * @param <R> the result's type
   * @return the result to come
   */
  <A, R> CompletableFuture<R> callAsync(Procedure<A, R> procedure, A args, CallOptions options);

  /**
   * Sends a one-way call ({@code MAYBE}, whatever {@code options} say): no reply is awaited and
   * it is never sent twice. The future completes when the call is handed to the network, which
   * says nothing of whether it ran; {@code options}' deadline bounds how long that may take.
   *
   * @param procedure a procedure with no result
   * @param args the arguments, encoded with the procedure's codec
   * @param options the deadline of the sending
   * @param <A> the arguments' type
   * @return completed once sent, or exceptionally with an {@link RpcException}
   */
  <A> CompletableFuture<Void> send(Procedure<A, Void> procedure, A args, CallOptions options);

  /**
   * {@link #send(Procedure, Object, CallOptions)}, waiting until the call is handed to the
   * network.
   *
   * @param procedure a procedure with no result
   * @param args the arguments, encoded with the procedure's codec
   * @param options the deadline of the sending
   * @param <A> the arguments' type
   * @throws RpcException UNAVAILABLE if it could not be sent, TIMEOUT if sending outlasted the
   *     deadline, CANCELLED if interrupted
   */
  <A> void sendAndWait(Procedure<A, Void> procedure, A args, CallOptions options);

  /**
   * {@link #call(Procedure, Object, CallOptions)} with the defaults.
   *
   * @param procedure the procedure and its codecs
   * @param args the arguments
   * @param <A> the arguments' type
   * @param <R> the result's type
   * @return the decoded result
   * @throws RpcException as {@link #call(Procedure, Object, CallOptions)}
   */
  default <A, R> R call(Procedure<A, R> procedure, A args) {
    return call(procedure, args, CallOptions.DEFAULT);
  }

  /**
   * {@link #callAsync(Procedure, Object, CallOptions)} with the defaults.
   *
   * @param procedure the procedure and its codecs
   * @param args the arguments
   * @param <A> the arguments' type
   * @param <R> the result's type
   * @return the result to come
   */
  default <A, R> CompletableFuture<R> callAsync(Procedure<A, R> procedure, A args) {
    return callAsync(procedure, args, CallOptions.DEFAULT);
  }

  /**
   * {@link #send(Procedure, Object, CallOptions)} with the defaults.
   *
   * @param procedure a procedure with no result
   * @param args the arguments
   * @param <A> the arguments' type
   * @return completed once sent
   */
  default <A> CompletableFuture<Void> send(Procedure<A, Void> procedure, A args) {
    return send(procedure, args, CallOptions.DEFAULT);
  }
}
