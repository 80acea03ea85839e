package org.onyxrpc.server;

import java.util.concurrent.CompletionStage;
import org.onyxrpc.rpc.Procedure;

/** A procedure bound to the handler that runs it: a sync handler, an async one, or one-way. */
record ServerMethod<A, R>(
    Procedure<A, R> procedure,
    ProcedureHandler<A, R> syncHandler,
    AsyncProcedureHandler<A, R> asyncHandler,
    boolean oneway) {

  static <A, R> ServerMethod<A, R> sync(
      Procedure<A, R> procedure, ProcedureHandler<A, R> handler, boolean oneway) {
    return new ServerMethod<>(procedure, handler, null, oneway);
  }

  static <A, R> ServerMethod<A, R> async(
      Procedure<A, R> procedure, AsyncProcedureHandler<A, R> handler) {
    return new ServerMethod<>(procedure, null, handler, false);
  }

  boolean async() {
    return asyncHandler != null;
  }

  /** Runs the procedure with {@code context} current ({@link CallContext#current()}). */
  R invokeSync(A args, CallContext context) throws Exception {
    CallContext previous = CurrentCall.enter(context);
    try {
      return syncHandler.handle(args, context);
    } finally {
      CurrentCall.restore(previous);
    }
  }

  /** Starts the procedure with {@code context} current until it returns its stage. */
  CompletionStage<R> invokeAsync(A args, CallContext context) {
    CallContext previous = CurrentCall.enter(context);
    try {
      return asyncHandler.handle(args, context);
    } finally {
      CurrentCall.restore(previous);
    }
  }
}
