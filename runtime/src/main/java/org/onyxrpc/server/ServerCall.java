package org.onyxrpc.server;

import java.util.HashMap;
import java.util.Map;
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
   * The procedure's result, once it succeeded.
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
