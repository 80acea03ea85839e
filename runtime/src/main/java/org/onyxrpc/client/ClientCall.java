package org.onyxrpc.client;

import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.onyxrpc.internal.CallText;
import org.onyxrpc.rpc.CallMetadata;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;

/**
 * One call as its {@link ClientInterceptor}s see it: what is called and how, while it starts;
 * how it ended, once it has. Made only for a client that has interceptors.
 */
public final class ClientCall {
  private final ClientInterceptors chain;
  private final Procedure<?, ?> procedure;
  private final boolean oneWay;
  private final long startNanos;
  private final AtomicBoolean closed = new AtomicBoolean();
  private CallOptions options;
  private CallMetadata metadata;
  private Map<Object, Object> attachments;
  private boolean starting = true;
  private int started; // how many interceptors' onStart ran: those are closed
  private RpcException refusal;
  // The outcome, written once by the thread that ends the call, before onClose.
  private RpcStatus status;
  private Object result;
  private RpcException failure;
  private long durationNanos;

  ClientCall(ClientInterceptors chain, Procedure<?, ?> procedure, CallOptions options,
      boolean oneWay, long startNanos) {
    this.chain = chain;
    this.procedure = procedure;
    this.options = options;
    this.oneWay = oneWay;
    this.startNanos = startNanos;
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
   * The promise this call keeps: its options', else its procedure's.
   *
   * @return the promise, never null
   */
  public CallSemantics semantics() {
    return options.semantics() != null ? options.semantics() : procedure.semantics();
  }

  /**
   * Whether no reply is awaited ({@code send}).
   *
   * @return true for a call made with {@code send} or {@code sendAndWait}
   */
  public boolean oneWay() {
    return oneWay;
  }

  /**
   * The call's options as they stand.
   *
   * @return the options, as given or as an interceptor replaced them
   */
  public CallOptions options() {
    return options;
  }

  /**
   * Replaces the call's options; only in {@link ClientInterceptor#onStart}. A one-way call stays
   * {@code MAYBE}: options without semantics (say {@code CallOptions.DEFAULT.withDeadline(d)},
   * given to every call) keep it; others are refused.
   *
   * @param options the new options; not null
   * @throws IllegalStateException if the call has started
   * @throws IllegalArgumentException if a one-way call is given another promise than {@code MAYBE}
   */
  public void options(CallOptions options) {
    Objects.requireNonNull(options, "options");
    checkStarting("options");
    if (oneWay && options.semantics() == null) {
      options = options.withSemantics(CallSemantics.MAYBE);
    } else if (oneWay && options.semantics() != CallSemantics.MAYBE) {
      throw new IllegalArgumentException("a one-way call is MAYBE: " + options.semantics());
    }
    this.options = options;
  }

  /**
   * The call's metadata, sent to servers that read it (see {@link CallMetadata}); filled only in
   * {@link ClientInterceptor#onStart}, read-only after that.
   *
   * @return the metadata, made on first use
   * @throws IllegalStateException if first asked for after the call started
   */
  public CallMetadata metadata() {
    if (metadata == null) {
      checkStarting("metadata");
      metadata = new CallMetadata();
    }
    return metadata;
  }

  /**
   * Keeps {@code value} with this call under {@code key}, for a later {@code onClose}.
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
   * The server's address: an {@link java.net.InetSocketAddress} over TCP and UDP, a {@link
   * org.onyxrpc.transport.UnixSocketAddress} or an in-process name otherwise.
   *
   * @return the address the client calls
   */
  public SocketAddress peer() {
    return chain.address();
  }

  /**
   * The transport the call goes over.
   *
   * @return the client's transport
   */
  public Transport transport() {
    return chain.transport();
  }

  /**
   * How the call ended; null until it has.
   *
   * @return {@code SUCCESS}, a failure's status, or null
   */
  public RpcStatus status() {
    return status;
  }

  /**
   * The call's result, once it succeeded (null for a void procedure or a one-way call).
   *
   * @return the decoded result, or null
   */
  public Object result() {
    return result;
  }

  /**
   * Why the call failed, once it did; null otherwise.
   *
   * @return the failure, or null
   */
  public RpcException failure() {
    return failure;
  }

  /**
   * Nanoseconds from the call's start to its end, by the client's clock; 0 until it ended.
   *
   * @return the duration in nanoseconds, or 0
   */
  public long durationNanos() {
    return durationNanos;
  }

  /**
   * The call for a log line: {@code ClientCall[Calc.add (program 0x20000101 version 1 procedure
   * 1) to tcp /127.0.0.1:4711, AT_MOST_ONCE, SUCCESS in 0.412 ms]}; "started" in place of the
   * outcome until the call ends, "one-way" for a {@code send}. The metadata is left out: {@link
   * #metadata()} prints it.
   *
   * @return the description, one line
   */
  @Override
  public String toString() {
    RpcStatus ended = status;
    return "ClientCall[" + procedure.describe() + " to " + CallText.where(chain.transport(), chain.address())
        + ", " + (oneWay ? "one-way" : semantics()) + ", "
        + (ended == null ? "started" : ended + " in " + CallText.millis(durationNanos)) + "]";
  }

  /** The metadata to send, or null if there is none. */
  CallMetadata metadataToSend() {
    return metadata == null || metadata.isEmpty() ? null : metadata;
  }

  /** Why an interceptor stopped the call from being sent, or null. */
  RpcException refusal() {
    return refusal;
  }

  /** Runs each interceptor's onStart, until one throws: then the call is refused. */
  void start(ClientInterceptor[] interceptors) {
    try {
      for (ClientInterceptor interceptor : interceptors) {
        started++;
        interceptor.onStart(this);
      }
    } catch (RpcException e) {
      refusal = e;
    } catch (RuntimeException | Error e) { // still closes the interceptors started, once
      refusal = new RpcException(RpcStatus.INTERNAL, "a client interceptor failed as "
          + procedure.describe() + " started: " + e, e);
    } finally {
      starting = false;
    }
  }

  /**
   * Records the outcome and tells the interceptors, once; false if the call had ended already,
   * so that the caller must not complete its future either.
   */
  boolean close(Object value, Throwable thrown) {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    durationNanos = chain.nanoTime() - startNanos;
    if (thrown == null) {
      status = RpcStatus.SUCCESS;
      result = value;
    } else {
      failure = asRpcException(thrown);
      status = failure.status();
    }
    chain.close(this, started);
    return true;
  }

  private RpcException asRpcException(Throwable thrown) {
    Throwable cause = thrown instanceof CompletionException && thrown.getCause() != null
        ? thrown.getCause() : thrown;
    if (cause instanceof RpcException e) {
      return e;
    }
    if (cause instanceof CancellationException) {
      return new RpcException(RpcStatus.CANCELLED, procedure.describe() + " cancelled", cause);
    }
    return new RpcException(RpcStatus.INTERNAL, procedure.describe() + ": " + cause, cause);
  }

  private void checkStarting(String what) {
    if (!starting) {
      throw new IllegalStateException("a call's " + what + " change only as it starts");
    }
  }
}
