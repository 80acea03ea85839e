package org.onyxrpc.client;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * A sync caller's wait for its call, on the caller's thread: until the call is done or its
 * deadline passes, reading the replies itself on a caller-runs connection; then its result, or
 * its failure thrown anew on this thread. One per client.
 */
final class SyncCallWait {
  /** How long a caller whose deadline passed waits for the owner to expire its call, at most. */
  private static final long EXPIRY_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final CallOwner owner;
  private final CallTimer timer;
  /** Whether a sync caller's own timed wait keeps the clock's time (a real clock's does). */
  private final boolean callerWaitIsTimer;
  private final CallFailures failures;
  /** The server, as failures name it: {@code tcp 10.0.0.7:4711}. */
  private final String peer;

  SyncCallWait(CallOwner owner, CallTimer timer, boolean callerWaitIsTimer, CallFailures failures,
      String peer) {
    this.owner = owner;
    this.timer = timer;
    this.callerWaitIsTimer = callerWaitIsTimer;
    this.failures = failures;
    this.peer = peer;
  }

  /** Waits for {@code call} and returns its result; an interrupt cancels it (CANCELLED). */
  <R> R awaitOutcome(PendingCall<?, R> call) {
    if (!await(call)) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new RpcException(RpcStatus.CANCELLED, interrupted(call));
    }
    return outcome(call);
  }

  /**
   * Waits until {@code call} is done or its deadline passes (then it is expired); on a
   * caller-runs connection the waiting thread reads the replies itself. False if interrupted.
   */
  private boolean await(PendingCall<?, ?> call) {
    boolean expiring = false;
    while (!call.isDone()) {
      if (Thread.interrupted()) {
        return false;
      }
      // Read again, not taken from the start: a call may have waited for its connection or its
      // write for much of its budget before this wait.
      long left = call.deadlineNanos - timer.nanoTime();
      if (left <= 0) {
        if (!expiring) {
          expiring = true;
          owner.execute(() -> failures.expire(call));
        } else {
          LockSupport.parkNanos(call, EXPIRY_WAIT_NANOS); // the owner expires it and unparks us
        }
        continue;
      }
      Connection c = call.connection;
      if (c != null && c.isActive()) {
        c.await(call, callerWaitIsTimer ? call.deadlineNanos : System.nanoTime() + left, left);
      } else {
        LockSupport.parkNanos(call, left); // not sent yet: completing the call unparks this thread
      }
    }
    return true;
  }

  /**
   * Why an interrupted caller's call ended: where it went, and that it may have run (its
   * transmission may have left before the interrupt), as RpcStatus.CANCELLED says.
   */
  private String interrupted(PendingCall<?, ?> call) {
    return call.procedure.describe() + " to " + peer
        + " interrupted while waiting for its reply; it may have run";
  }

  /** The result of a done call; a failure is thrown anew on the calling thread. */
  private <R> R outcome(PendingCall<?, R> call) {
    try {
      return call.get();
    } catch (ExecutionException e) {
      throw ((RpcException) e.getCause()).rethrownHere();
    } catch (CancellationException e) {
      throw new RpcException(RpcStatus.CANCELLED, call.procedure.describe() + " cancelled", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(RpcStatus.CANCELLED, interrupted(call), e);
    }
  }
}
