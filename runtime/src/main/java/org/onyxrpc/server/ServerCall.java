package org.onyxrpc.server;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.onyxrpc.internal.CallText;
import org.onyxrpc.rpc.CallMetadata;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcStatus;

/**
 * One call as a server's {@link ServerInterceptor}s see it: who calls and what, as it starts;
 * how it ended, once it has. Made only for a server that has interceptors.
 */
public final class ServerCall {
  private final CallContext context;
  private final Procedure<?, ?> procedure;
  private final CallSemantics semantics;
  private final boolean oneWay;
  private final CallMetadata metadata;
  private final long startNanos;
  private Map<Object, Object> attachments;
  int started; // how many interceptors' onStart ran: those are closed
  boolean starting; // an onStart is running: the only time answer() is allowed
  private boolean answered; // an interceptor answered: the procedure does not run
  // The outcome, written by the thread that finishes the call, before onClose.
  private RpcStatus status;
  private Object result;
  private Throwable failure;
  private long durationNanos;

  ServerCall(CallContext context, Procedure<?, ?> procedure, CallSemantics semantics,
      boolean oneWay, CallMetadata metadata, long startNanos) {
    this.context = context;
    this.procedure = procedure;
    this.semantics = semantics;
    this.oneWay = oneWay;
    this.metadata = metadata != null ? metadata : new CallMetadata();
    this.startNanos = startNanos;
  }

  /**
   * Who calls, from where, over what: credentials, address, transport, TLS identity.
   *
   * @return the call's context, never null
   */
  public CallContext context() {
    return context;
  }

  /**
   * The procedure called: program, version, number and name.
   *
   * @return the procedure, never null
   */
  public Procedure<?, ?> procedure() {
    return procedure;
  }

  /**
   * How this server runs the call: {@code AT_MOST_ONCE} when its duplicate request cache
   * filters the call's retransmissions, {@code MAYBE} for a one-way procedure, otherwise {@code
   * AT_LEAST_ONCE} (each transmission that arrives runs).
   *
   * @return the promise, never null
   */
  public CallSemantics semantics() {
    return semantics;
  }

  /**
   * Whether the procedure is one-way: no reply is sent.
   *
   * @return true for a procedure bound with {@code oneway}
   */
  public boolean oneWay() {
    return oneWay;
  }

  /**
   * The metadata the client sent (empty from C clients and older Onyx ones); do not change it.
   *
   * @return the metadata, never null
   */
  public CallMetadata metadata() {
    return metadata;
  }

  /**
   * Keeps {@code value} with this call under {@code key}, for a later hook.
   *
   * @param key compared with {@code equals}; a private object of the interceptor's avoids clashes
   * @param value anything, null included
   */
  public void attach(Object key, Object value) {
    if (attachments == null) {
      attachments = new HashMap<>(4);
    }
    attachments.put(key, value);
  }

  /**
   * What was attached under {@code key}, or null.
   *
   * @param key as given to {@link #attach}
   * @return the value, or null
   */
  public Object attachment(Object key) {
    return attachments == null ? null : attachments.get(key);
  }

  /**
   * Answers the call with {@code result} in place of the procedure, from {@link
   * ServerInterceptor#onStart}: a cache, a feature flag, a maintenance mode that answers a fixed
   * value. As grpc-java's interceptor that closes the call itself and never calls {@code next}:
   *
   * <ul>
   *   <li>the procedure does not run; the interceptors after this one are neither started nor
   *       closed (they never see the call), as when an {@code onStart} refuses it;
   *   <li>this interceptor and those before it are closed as usual, in reverse order: {@link
   *       #status()} {@code SUCCESS}, {@link #result()} the answer, {@link #answered()} true;
   *   <li>the reply is encoded with the procedure's result codec, so {@code result} must be of
   *       the procedure's result type (null for a void one): one the codec cannot encode fails
   *       the call {@code SYSTEM_ERR}, as a procedure's would, and {@code onClose} sees that
   *       failure. {@link #answer(Procedure, Object)} checks the type as it compiles;
   *   <li>with the duplicate request cache ({@code AT_MOST_ONCE}), the reply is kept like any
   *       other: a retransmission of the call is answered from the cache, and no interceptor
   *       sees it;
   *   <li>for a one-way procedure no reply is sent whatever {@code result} is: answering one
   *       skips it (pass null).
   * </ul>
   *
   * <p>An {@code onStart} that answers and then throws refuses the call: the exception decides.
   * An interceptor that must look its answer up without blocking the thread (a remote cache)
   * cannot answer here: it lets the procedure run, which may be asynchronous.
   *
   * @param result the call's result, of the procedure's result type; null for a void procedure
   * @throws IllegalStateException outside an {@code onStart}, or if the call is already answered
   */
  public void answer(Object result) {
    if (!starting) {
      throw new IllegalStateException("a call is answered from an interceptor's onStart only: "
          + procedure.describe());
    }
    if (answered) {
      throw new IllegalStateException("already answered: " + procedure.describe());
    }
    answered = true;
    this.result = result;
  }

  /**
   * {@link #answer(Object)}, typed: {@code call.answer(Calculator.ADD, 42)} compiles only with a
   * result of {@code ADD}'s result type.
   *
   * @param <R> the procedure's result type
   * @param procedure the procedure called, the same program, version and number as {@link
   *     #procedure()}
   * @param result the call's result
   * @throws IllegalArgumentException if {@code procedure} is not the one called
   * @throws IllegalStateException outside an {@code onStart}, or if the call is already answered
   */
  public <R> void answer(Procedure<?, R> procedure, R result) {
    Objects.requireNonNull(procedure, "procedure");
    if (procedure.program() != this.procedure.program()
        || procedure.version() != this.procedure.version()
        || procedure.number() != this.procedure.number()) {
      throw new IllegalArgumentException("the call is " + this.procedure.describe() + ", not "
          + procedure.describe());
    }
    answer(result);
  }

  /**
   * Whether an interceptor {@link #answer answered} the call, so its procedure did not run.
   *
   * @return true once answered
   */
  public boolean answered() {
    return answered;
  }

  /**
   * The status the reply carries, once the call ended: {@code SUCCESS}, or the error status
   * sent ({@code SYSTEM_ERR} for a procedure that threw); {@code SYSTEM_ERR} for a one-way
   * procedure that threw; {@code CANCELLED} when the procedure chose to send no reply ({@link
   * NoReply}). Null until the call ended.
   *
   * @return the status, or null
   */
  public RpcStatus status() {
    return status;
  }

  /**
   * The procedure's result, once it succeeded; or the {@link #answer answer} an interceptor gave.
   *
   * @return the result, or null (a void procedure's, or before the end)
   */
  public Object result() {
    return result;
  }

  /**
   * What the procedure (or an interceptor) threw, once it did; null otherwise.
   *
   * @return the throwable, or null
   */
  public Throwable failure() {
    return failure;
  }

  /**
   * Nanoseconds from the call's arrival (its arguments decoded) to its end; 0 until then.
   *
   * @return the duration in nanoseconds, or 0
   */
  public long durationNanos() {
    return durationNanos;
  }

  /**
   * The call for a log line: {@code ServerCall[Calc.add (program 0x20000101 version 1 procedure
   * 1), xid 0x1f2e3d4c from tcp 10.0.0.7:53124, AT_MOST_ONCE, SUCCESS in 0.210 ms]}; "running"
   * in place of the outcome until it ends, "one-way" for a one-way procedure. Credentials,
   * metadata and the TLS identity are left out: {@link #context()} and {@link #metadata()} print
   * them.
   *
   * @return the description, one line
   */
  @Override
  public String toString() {
    RpcStatus ended = status;
    return "ServerCall[" + procedure.describe() + ", xid 0x" + Integer.toHexString(context.xid())
        + " from " + CallText.where(context.transport(), context.remoteAddress()) + ", "
        + (oneWay ? "one-way" : semantics) + ", "
        + (ended == null ? "running" : ended + " in " + CallText.millis(durationNanos)) + "]";
  }

  void end(RpcStatus status, Object result, Throwable failure, long nowNanos) {
    this.status = status;
    this.result = result;
    this.failure = failure;
    this.durationNanos = nowNanos - startNanos;
  }
}
