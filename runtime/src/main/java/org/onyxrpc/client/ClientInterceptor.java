package org.onyxrpc.client;

/**
 * Sees every call a client makes, as grpc-java's {@code ClientInterceptor} does, sized for ONC
 * RPC: it may change the call's {@link CallOptions} and add {@link ClientCall#metadata()
 * metadata} as the call starts, and is told how it ended (status, result or failure, duration).
 * Installed with {@link RpcClientBuilder#intercept}; a client with none pays nothing for them.
 *
 * <pre>{@code
 * RpcClient client = RpcClient.builder().address("localhost", 4711)
 *     .intercept(call -> call.metadata().put("tenant", "blue"))
 *     .build();
 * }</pre>
 *
 * <p>Metadata is best effort: it reaches only Onyx servers, once the client has learnt that its
 * server reads it (the NULL ping before its first retransmitting call), so a new client's first
 * one-shot calls go without it. Who the caller is belongs in its credentials, not in metadata:
 * an interceptor may give each call its own, {@code call.options(call.options()
 * .withCredentials(tokens.current()))} ({@link CallOptions#withCredentials}), as grpc-java's
 * interceptors attach a token; it must not block to fetch one.
 *
 * <p>Interceptors run in the order given as calls start ({@link #onStart}, on the calling
 * thread) and in the reverse order as they end ({@link #onClose}, on whichever thread ended the
 * call: the one that read its reply, the client's timer, or the caller), always before the
 * caller sees the outcome. Neither may block: {@code onClose} may run on an event loop. The
 * client's own NULL pings (to learn whether a server reads tags) are not seen.
 */
@FunctionalInterface
public interface ClientInterceptor {
  /**
   * A call is starting and has not been sent. May change its options or metadata, or attach
   * what {@link #onClose} needs. Throwing an {@link org.onyxrpc.rpc.RpcException} fails the call
   * with it, unsent (any other exception fails it with {@code INTERNAL}); the interceptors
   * already started are still closed.
   *
   * @param call the call, not yet sent; its options and metadata may still change
   */
  void onStart(ClientCall call);

  /**
   * The call has ended; its {@link ClientCall#status()} and the rest are known.
   *
   * @param call the call, ended
   */
  default void onClose(ClientCall call) {}
}
