package org.onyxrpc.server;

/**
 * Sees every call a server hands to a procedure, as grpc-java's {@code ServerInterceptor} does,
 * sized for ONC RPC: who calls ({@link ServerCall#context()}: credentials, address, TLS
 * identity), what ({@link ServerCall#procedure()}), with which {@link ServerCall#metadata()
 * metadata}, and how the call ended (status, result or failure, duration). Installed with
 * {@link RpcServerBuilder#intercept}; a server with none pays nothing for them.
 *
 * <p>For each call, in the order the interceptors were given, on the thread that will run the
 * procedure: {@link #onStart} (which may refuse the call, or answer it in place of the procedure:
 * {@link ServerCall#answer}), then {@link #around} nests the procedure's invocation; and in the
 * reverse order, {@link #onClose} once the reply is settled and before it is sent (on the thread
 * that finished the procedure). NULL pings, the calls refused before a procedure is found
 * (PROG_UNAVAIL, AUTH_ERROR from the {@link Authenticator}…) and retransmissions answered from
 * the duplicate request cache are not seen.
 */
@FunctionalInterface
public interface ServerInterceptor {
  /**
   * A call is about to run. Throwing an {@link org.onyxrpc.rpc.RpcException} with a reply
   * status (say {@code AUTH_ERROR}) refuses it: the procedure does not run and the caller gets
   * that status; any other exception, {@code SYSTEM_ERR}. The interceptors already started are
   * still closed; those after this one are neither started nor closed, so a logging, metrics or
   * tracing interceptor that should see refused calls goes before it. The exception's message
   * stays here: an ONC RPC reply carries the status (and an {@code AUTH_ERROR}'s reason), no text.
   *
   * <p>Calling {@link ServerCall#answer} answers the call with a result in place of the
   * procedure (a cache, a maintenance mode): the procedure and the {@code around}s do not run,
   * and the interceptors after this one are neither started nor closed.
   *
   * @param call the call, not yet run; what the interceptor attaches to it stays for {@code onClose}
   */
  void onStart(ServerCall call);

  /**
   * Runs the procedure ({@code procedure.run()}): a synchronous one to its end, an asynchronous
   * one until it returns its stage. An interceptor may wrap it, say in a tracing span made
   * current; it must run it exactly once, on this thread. One that returns without running it
   * fails the call SYSTEM_ERR, and a run after that (from another thread, say) does nothing:
   * to answer without the procedure, {@link ServerCall#answer} from {@link #onStart}. Not called
   * for a call refused or answered in {@code onStart}.
   * Default: runs it.
   *
   * @param call the call
   * @param procedure runs the procedure; to be run exactly once
   */
  default void around(ServerCall call, Runnable procedure) {
    procedure.run();
  }

  /**
   * The call has ended; its {@link ServerCall#status()} and the rest are known.
   *
   * @param call the call, ended
   */
  default void onClose(ServerCall call) {}
}
