package org.onyxrpc.server;

/**
 * Runs one procedure and returns its result; the server encodes it into the reply.
 *
 * <p>A thrown {@link org.onyxrpc.rpc.RpcException} whose status travels on the wire (for example
 * {@code AUTH_ERROR} with {@code AUTH_TOOWEAK}, or {@code GARBAGE_ARGS} for arguments that decode
 * but make no sense) is sent as that reply; any other exception becomes {@code SYSTEM_ERR}. The
 * reply does not say that the implementation chose the status: a client told {@code GARBAGE_ARGS}
 * says that the server refused the arguments as invalid or could not decode them, and that it did
 * not carry out the call; so refuse arguments with it before acting on them, or not at all.
 *
 * <p>The failure of a call the procedure made to another server, let out as it is, is {@link
 * org.onyxrpc.rpc.RpcException#received() received}: its status is that other call's, so it is
 * sent as {@code SYSTEM_ERR} (the procedure ran), never as this call's own {@code PROC_UNAVAIL} or
 * {@code AUTH_ERROR}. A procedure that relays a call and answers as its server did throws {@link
 * org.onyxrpc.rpc.RpcException#relayed()}.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface ProcedureHandler<A, R> {
  /**
   * Runs the procedure with {@code args} for the caller described by {@code context}.
   *
   * @param args the decoded arguments
   * @param context who calls, from where, over what
   * @return the result to send (null for a void procedure)
   * @throws Exception to fail the call: an {@code RpcException} whose status travels on the wire
   *     is sent as that reply (unless {@code received()} from a call of its own), anything else
   *     as {@code SYSTEM_ERR}

   */
  R handle(A args, CallContext context) throws Exception;
}
