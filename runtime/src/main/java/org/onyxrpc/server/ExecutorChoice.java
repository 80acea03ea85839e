package org.onyxrpc.server;

/** Where a server runs its procedures, as {@link RpcServerBuilder} was told. */
enum ExecutorChoice {
  /** A pool the server owns and shuts down ({@link ServerDefaults#newDefaultExecutor}). */
  DEFAULT,
  /** Inline on the I/O thread that read the call ({@link RpcServerBuilder#directExecutor}). */
  DIRECT,
  /** The user's executor ({@link RpcServerBuilder#executor}), which the user shuts down. */
  GIVEN
}
