package org.onyxrpc.client;

import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;

/**
 * A call not yet answered, across all its transmissions: they share one xid, so whichever
 * reply arrives first completes it and the server's duplicate cache recognises the repeats.
 * Cancelling it forgets the call: no more transmissions, and a late reply is dropped. It is its
 * own timer's task and its own task on the owner ({@link #run()}), so that neither handing it to
 * the owner nor arming its timer allocates anything beyond the timer's entry.
 *
 * <p>Its mutable fields are the client's {@link CallOwner}'s alone, but for {@link #connection},
 * which the waiting caller reads.
 */
final class PendingCall<A, R> extends CompletableFuture<R> implements TimerTask, Runnable {
  /**
   * What a SYSTEM_ERR over UDP may also mean: a server that ran the call could not send a result
   * larger than its datagram (rpcgen's C servers send at most 8800 bytes: LargeResultsInteropTest).
   */
  private static final String DATAGRAM_SYSTEM_ERR = "; over UDP it is also how a server tells a"
      + " result larger than its datagram (rpcgen's C servers, libtirpc's svcudp_create, send at"
      + " most 8800 bytes of one; an Onyx server its maxDatagramBytes): over TCP the result would"
      + " come whole";

  final int xid;
  final Procedure<A, R> procedure;
  final A args;
  /**
   * The call's own credential (its options'), encoded once so that every transmission carries
   * the same bytes; null (the usual) for the client's. It has the field its promise had, which
   * {@link #semantics()} reads from {@link #retry}: the call stays 88 bytes.
   */
  final OpaqueAuth credential;
  final long deadlineNanos;
  final long budgetNanos;
  final boolean expectReply;
  private final CallSteps steps;
  /** The thread blocked in a sync call for this result, woken when it completes; else null. */
  final Thread waiter;
  /** Null for a MAYBE call, sent once: so the commonest call carries no retransmission state. */
  final Retransmission retry;
  // The owner's alone.
  boolean sent; // a transmission may have left: the server may have run it
  int attempt; // the transmission number on the wire; 0 until the owner admits the call
  int transmissions; // handed to a connection: what a message may say went out (a retransmission that could not connect did not)
  /**
   * Its one timer, if it has one: the next retransmission or the deadline; cancelled once it
   * completes. A completion racing the arming may miss it: the timer then fires on a done call,
   * which does nothing. {@link CallArming#LISTED} while listed for a sweep, with no timer yet.
   */
  Timeout timer;
  /** Whether it counts against the client's maxPendingCalls; set before it is handed over. */
  boolean limited = true;
  /** Its interceptors' view, told of its end first; null (the usual) when the client has none. */
  ClientCall observed;
  /** A one-shot call that carries its interceptors' metadata to a server that reads it. */
  boolean tagged;
  /** Written by the owner; read by the waiting caller, to wait on the connection it went out on. */
  volatile Connection connection;

  PendingCall(CallSteps steps, int xid, Procedure<A, R> procedure, A args,
      CallSemantics semantics, long startNanos, long budgetNanos, long attemptTimeoutNanos,
      boolean expectReply, Thread waiter) {
    this(steps, xid, procedure, args, semantics, null, startNanos, budgetNanos, attemptTimeoutNanos,
        expectReply, waiter);
  }

  PendingCall(CallSteps steps, int xid, Procedure<A, R> procedure, A args,
      CallSemantics semantics, OpaqueAuth credential, long startNanos, long budgetNanos,
      long attemptTimeoutNanos, boolean expectReply, Thread waiter) {
    this.steps = steps;
    this.xid = xid;
    this.procedure = procedure;
    this.args = args;
    this.credential = credential;
    this.deadlineNanos = startNanos + budgetNanos;
    this.budgetNanos = budgetNanos;
    this.expectReply = expectReply;
    this.waiter = waiter;
    this.retry = semantics == CallSemantics.MAYBE ? null
        : new Retransmission(attemptTimeoutNanos, semantics == CallSemantics.AT_MOST_ONCE);
  }

  /** The promise it keeps: MAYBE for a call sent once, which has no {@link #retry}. */
  CallSemantics semantics() {
    return retry == null ? CallSemantics.MAYBE
        : retry.atMostOnce ? CallSemantics.AT_MOST_ONCE : CallSemantics.AT_LEAST_ONCE;
  }

  /** The credential it goes with: its own, else the client's ({@code setup}'s). */
  OpaqueAuth credential(ConnectionSetup setup) {
    return credential != null ? credential : setup.credential();
  }

  /** When it started, by the client's clock: its deadline less its budget, kept in neither. */
  long startNanos() {
    return deadlineNanos - budgetNanos;
  }

  /** Whether a lost transmission is sent again; settled once the client knows its server. */
  boolean retransmits() {
    return retry != null && retry.mayRetransmit && !retry.stopped;
  }

  /**
   * On the owner: sends it no more, but waits on for its reply until its deadline. One not yet
   * sent is cancelled: nothing went out, so nothing ran and no reply will come.
   */
  void stopRetransmitting() {
    if (isDone()) {
      return;
    }
    if (!sent) {
      cancel(false);
    } else if (retry != null) {
      retry.stopped = true; // its timer, when it fires, sets itself again for the deadline
    }
  }

  /** Whether it is a call of the client whose steps these are. */
  boolean of(CallSteps client) {
    return steps == client;
  }

  /**
   * Whether it goes with Onyx's call tag: to a server that tags its replies, or, one-shot, to
   * carry metadata to a server that reads it.
   */
  boolean tagged() {
    return retry != null ? retry.tagged : tagged;
  }

  /** Why its last transmission could not go out, if it may still go. */
  String lastFailure() {
    return retry == null ? null : retry.lastFailure;
  }

  /**
   * Completes from a reply whose header has been read; on success the reader is at the results.
   * The flavor of the credential the call went with (its own, else {@code setup}'s) is taken
   * into account by a refusal's message, as is the TLS of the connection it went out on, and over UDP the size of
   * its datagram by a GARBAGE_ARGS's. A failure's message names the server ({@code setup}'s
   * peer), as the client's own failures name where they called.
   */
  void complete(ReplyHeader reply, XdrReader results, boolean outcomeUnknown,
      ConnectionSetup setup) {
    String server = setup.peer();
    if (outcomeUnknown) {
      fail(RpcStatus.OUTCOME_UNKNOWN, procedure.describe() + " may have executed: it was "
          + "retransmitted, and server " + server + " cannot tell whether an earlier transmission"
          + " ran (it restarted, or its duplicate cache forgot the call); it was not run again", null);
      return;
    }
    if (reply.status() == RpcStatus.GARBAGE_ARGS) {
      settleExceptionally(RefusedArguments.exception(procedure, args, server,
          setup.transport().recordMarked() ? -1 : CallWriter.headerBytes(setup, this)));
      return;
    }
    if (reply.status() != RpcStatus.SUCCESS) {
      Connection on = connection; // the one it went out on, which the reply came back on
      RpcException failed = RpcException.fromReply(reply, procedure, credential(setup).flavor(),
          on != null && on.tls(), on != null && on.sentCertificate(), server);
      boolean datagram = !setup.transport().recordMarked();
      settleExceptionally(reply.status() == RpcStatus.SYSTEM_ERR && datagram
          ? RpcException.fromReply(reply, failed.getMessage() + DATAGRAM_SYSTEM_ERR) : failed);
      return;
    }
    R result;
    try {
      result = results.readWhole(procedure.result()); // trailing bytes: malformed, as in calls
    } catch (RuntimeException e) {
      // A value type's refusal may quote what the server sent: cut short here, whole in the cause.
      fail(RpcStatus.INTERNAL,
          "cannot decode the result of " + procedure.describe() + " from " + server + ": "
          + RateLimitedLog.shortMessage(e) + (e instanceof XdrException x && x.nestedTooDeep()
              ? ", the most this client reads (XdrLimits.DEFAULT_MAX_DEPTH); the server, which may"
                  + " be a C peer that bounds no nesting, sent deeper data: the call ran"
              : "; are client and server built from the same IDL?"), e);
      return;
    }
    settle(result);
  }

  /**
   * Completed by its caller, as {@code orTimeout} and {@code completeOnTimeout} do: the call is
   * then forgotten as a cancelled one is (no more transmissions, its late reply dropped), so
   * that it does not hold its place among the client's calls until a reply that may never come.
   */
  @Override
  public boolean complete(R value) {
    return forgetIf(settle(value));
  }

  /** Failed by its caller, as {@code orTimeout} does: forgotten, as {@link #complete} says. */
  @Override
  public boolean completeExceptionally(Throwable failure) {
    return forgetIf(settleExceptionally(failure));
  }

  /** Completes it from the client, which has already taken it from the outstanding calls. */
  boolean settle(R value) {
    ClientCall o = observed;
    if (o != null && !o.close(value, null)) {
      return false;
    }
    return wake(super.complete(value));
  }

  /** Fails it from the client, which has already taken it from the outstanding calls. */
  boolean settleExceptionally(Throwable failure) {
    ClientCall o = observed;
    if (o != null && !o.close(null, failure)) {
      return false;
    }
    return wake(super.completeExceptionally(failure));
  }

  private boolean forgetIf(boolean completed) {
    if (completed && expectReply) {
      steps.owner().execute(this::forget);
    }
    return completed;
  }

  // A sync caller parks rather than waiting in get(), so that it can lead a caller-runs connection.
  private boolean wake(boolean completed) {
    Timeout t = timer;
    if (completed && t != null) {
      t.cancel();
    }
    Thread w = waiter;
    if (completed && w != null && w != Thread.currentThread()) {
      Connection c = connection;
      if (c != null) {
        c.wake(w);
      } else {
        LockSupport.unpark(w);
      }
    }
    return completed;
  }

  /** Its timer fired, on the timer's thread: the owner sees what is due. */
  @Override
  public void run(Timeout timeout) {
    steps.owner().execute(this);
  }

  /** On the owner: the call's next step (its first transmission, or what its timer found due). */
  @Override
  public void run() {
    steps.next(this);
  }

  /**
   * Records that a transmission is being handed to {@code c}: from here on the server may run
   * the call, whatever happens to the bytes, so no failure of it may claim it did not run.
   */
  void wentOutOn(Connection c) {
    if (sent && retry != null && connection != c) {
      retry.sentOnAnother = true;
    }
    connection = c;
    sent = true;
    transmissions++;
  }

  /**
   * On the owner: its one transmission never left (its connection was lost before a byte of it
   * reached the socket): as if it was never sent.
   */
  void neverSent() {
    sent = false;
    transmissions--;
  }

  void fail(RpcStatus status, String message, Throwable cause) {
    settleExceptionally(new RpcException(status, message, cause));
  }

  /**
   * Stops the call: no more transmissions, and a late reply is dropped. As for any future, it
   * is then cancelled: {@code isCancelled()}, and {@code join()} throws a {@code
   * CancellationException}.
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    ClientCall o = observed;
    if (o != null && !o.close(null, new CancellationException())) {
      return false;
    }
    boolean cancelled = wake(super.cancel(mayInterruptIfRunning));
    if (cancelled) {
      steps.owner().execute(this::forget);
    }
    return cancelled;
  }

  /** On the owner: no longer outstanding. */
  void forget() {
    steps.forget(this);
  }
}
