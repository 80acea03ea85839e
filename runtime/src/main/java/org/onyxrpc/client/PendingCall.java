package org.onyxrpc.client;

import java.util.concurrent.CompletableFuture;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrReader;

/**
 * A call sent and not yet answered: completes with the decoded result or an {@link
 * RpcException}. Cancelling it forgets the call, so a late reply is dropped.
 */
final class PendingCall<R> extends CompletableFuture<R> {
  final int xid;
  final Procedure<?, R> procedure;
  private volatile ClientConnection connection;

  PendingCall(int xid, Procedure<?, R> procedure) {
    this.xid = xid;
    this.procedure = procedure;
  }

  void sentOn(ClientConnection connection) {
    this.connection = connection;
  }

  /** Completes from a reply whose header has been read; on success the reader is at the results. */
  void complete(ReplyHeader reply, XdrReader results) {
    if (reply.status() != RpcStatus.SUCCESS) {
      completeExceptionally(RpcException.fromReply(reply, procedure));
      return;
    }
    R result;
    try {
      result = procedure.result().decode(results);
    } catch (RuntimeException e) {
      fail(RpcStatus.INTERNAL,
          "cannot decode the result of " + procedure.describe() + ": " + e.getMessage(), e);
      return;
    }
    complete(result);
  }

  void fail(RpcStatus status, String message, Throwable cause) {
    completeExceptionally(new RpcException(status, message, cause));
  }

  /** Stops waiting for the reply; the future fails with {@link RpcStatus#CANCELLED}. */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    forget();
    return completeExceptionally(
        new RpcException(RpcStatus.CANCELLED, procedure.describe() + " cancelled by the caller"));
  }

  /** Removes this call from its connection's table of calls awaiting replies. */
  void forget() {
    ClientConnection c = connection;
    if (c != null) {
      c.forget(this);
    }
  }
}
