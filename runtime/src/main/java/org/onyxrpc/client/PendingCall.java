package org.onyxrpc.client;

import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrReader;

/**
 * A call not yet answered, across all its transmissions: they share one xid, so whichever
 * reply arrives first completes it and the server's duplicate cache recognises the repeats.
 * Cancelling it forgets the call: no more transmissions, and a late reply is dropped. It is its
 * own timer's task, so that arming its timer allocates nothing beyond the timer's entry.
 */
final class PendingCall<A, R> extends CompletableFuture<R> implements TimerTask {
  final int xid;
  final Procedure<A, R> procedure;
  final A args;
  final CallSemantics semantics;
  final long deadlineNanos;
  final long budgetNanos;
  final long attemptTimeoutNanos;
  final boolean expectReply;
  private final OutstandingCalls table;
  /** Told when the call's timer fires, on the timer's thread. */
  private final Consumer<PendingCall<?, ?>> onTimer;
  // Written by the thread that transmits (caller, event loop or sweeper), one at a time.
  volatile boolean settled;
  volatile boolean sent; // a transmission may have left: the server may have run it
  volatile boolean tagged;
  volatile boolean mayRetransmit;
  volatile int attempt; // the transmission number on the wire
  volatile int tries; // transmissions and NULL pings before the first: what backoff grows with
  volatile long epochAtFirstSend;
  volatile long nextAttemptNanos;
  volatile Connection connection;
  /** The thread blocked in a sync call for this result, woken when it completes; else null. */
  final Thread waiter;
  volatile String lastFailure;
  /** Its one timer: the next retransmission or the deadline; cancelled once it completes. */
  volatile Timeout timer;
  /** Whether it counts against the client's maxPendingCalls; set before it is outstanding. */
  boolean limited = true;
  /** Its interceptors' view, told of its end first; null (the usual) when the client has none. */
  ClientCall observed;

  PendingCall(OutstandingCalls table, Consumer<PendingCall<?, ?>> onTimer, int xid, Procedure<A, R> procedure, A args,
      CallSemantics semantics, long startNanos, long budgetNanos, long attemptTimeoutNanos,
      boolean expectReply, Thread waiter) {
    this.table = table;
    this.onTimer = onTimer;
    this.xid = xid;
    this.procedure = procedure;
    this.args = args;
    this.semantics = semantics;
    this.deadlineNanos = startNanos + budgetNanos;
    this.budgetNanos = budgetNanos;
    this.attemptTimeoutNanos = attemptTimeoutNanos;
    this.expectReply = expectReply;
    this.mayRetransmit = semantics != CallSemantics.MAYBE;
    this.waiter = waiter;
  }

  /** Whether a lost transmission is sent again; settled once the client knows its server. */
  boolean retransmits() {
    return mayRetransmit;
  }

  /** Completes from a reply whose header has been read; on success the reader is at the results. */
  void complete(ReplyHeader reply, XdrReader results, boolean outcomeUnknown) {
    if (outcomeUnknown) {
      fail(RpcStatus.OUTCOME_UNKNOWN, procedure.describe() + " may have executed: it was "
          + "retransmitted, and the server cannot tell whether an earlier transmission ran (it "
          + "restarted, or its duplicate cache forgot the call); it was not run again", null);
      return;
    }
    if (reply.status() != RpcStatus.SUCCESS) {
      completeExceptionally(RpcException.fromReply(reply, procedure));
      return;
    }
    R result;
    try {
      result = results.readWhole(procedure.result()); // trailing bytes: malformed, as in calls
    } catch (RuntimeException e) {
      fail(RpcStatus.INTERNAL,
          "cannot decode the result of " + procedure.describe() + ": " + e.getMessage(), e);
      return;
    }
    complete(result);
  }

  @Override
  public boolean complete(R value) {
    ClientCall o = observed;
    if (o != null && !o.close(value, null)) {
      return false;
    }
    return wake(super.complete(value));
  }

  @Override
  public boolean completeExceptionally(Throwable failure) {
    ClientCall o = observed;
    if (o != null && !o.close(null, failure)) {
      return false;
    }
    return wake(super.completeExceptionally(failure));
  }

  // A sync caller parks rather than waiting in get(), so that it can lead a caller-runs connection.
  private boolean wake(boolean completed) {
    Timeout t = timer;
    if (completed && t != null) {
      t.cancel();
    }
    Thread w = waiter;
    if (completed && w != null && w != Thread.currentThread()) {
      LockSupport.unpark(w);
    }
    return completed;
  }

  /** Its timer fired: the next retransmission or the deadline is due. */
  @Override
  public void run(Timeout timeout) {
    onTimer.accept(this);
  }

  /**
   * Records that a transmission is being handed to {@code c}: from here on the server may run
   * the call, whatever happens to the bytes, so no failure of it may claim it did not run.
   */
  void wentOutOn(Connection c) {
    connection = c;
    sent = true;
  }

  void fail(RpcStatus status, String message, Throwable cause) {
    completeExceptionally(new RpcException(status, message, cause));
  }

  /**
   * Stops the call: no more transmissions, and a late reply is dropped. As for any future, it
   * is then cancelled: {@code isCancelled()}, and {@code join()} throws a {@code
   * CancellationException}.
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    forget();
    ClientCall o = observed;
    if (o != null && !o.close(null, new CancellationException())) {
      return false;
    }
    return wake(super.cancel(mayInterruptIfRunning));
  }

  void forget() {
    table.remove(this);
  }
}
