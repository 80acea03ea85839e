package org.onyxrpc.server;

import java.util.concurrent.CompletionStage;

/**
 * Starts one procedure and completes its result later, so a handler can wait on other services
 * without holding a thread. Failures are mapped as for {@link ProcedureHandler}.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface AsyncProcedureHandler<A, R> {
  /**
   * Starts the procedure with {@code args}; the reply is sent when the stage completes.
   *
   * @param args the decoded arguments
   * @param context who calls, from where, over what
   * @return the result to come; completing it exceptionally fails the call as a throw from a
   *     {@link ProcedureHandler} would
   */
  CompletionStage<R> handle(A args, CallContext context);
}
