package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import java.util.NavigableMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcMessages;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one received message into a reply: reads the call header, authenticates, finds the
 * procedure, decodes its arguments and runs it on the server's executor. Every error reply of
 * RFC 5531 is produced here, where the RFC says; a message whose header cannot be read is dropped,
 * as libtirpc does, since there is no trustworthy xid to answer.
 */
final class CallProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(CallProcessor.class);

  private final Registry registry;
  private final Authenticator authenticator;
  private final Executor executor;
  final LongAdder calls = new LongAdder();
  final LongAdder malformed = new LongAdder();
  final LongAdder errorReplies = new LongAdder();

  /** {@code executor} null runs procedures inline on the I/O thread. */
  CallProcessor(Registry registry, Authenticator authenticator, Executor executor) {
    this.registry = registry;
    this.authenticator = authenticator;
    this.executor = executor;
  }

  /**
   * Processes one message and releases it. Returns true if a call was handed to a procedure, in
   * which case {@link ReplySink#callDone} will follow exactly once.
   */
  boolean process(ByteBuf message, ReplySink sink) {
    try {
      return dispatch(new XdrReader(message), sink);
    } finally {
      message.release();
    }
  }

  private boolean dispatch(XdrReader in, ReplySink sink) {
    CallHeader call;
    try {
      int xid = in.readUnsignedInt();
      int type = in.readEnum();
      if (type != RpcMessages.CALL) {
        malformed.increment();
        LOG.debug("dropping a message of type {} from {}", type, sink.remoteAddress());
        return false;
      }
      call = RpcMessages.readCallBody(in, xid);
    } catch (XdrException e) {
      malformed.increment();
      LOG.debug("dropping a malformed call header from {}: {}", sink.remoteAddress(), e.getMessage());
      return false;
    }
    int xid = call.xid();
    if (call.rpcVersion() != RpcMessages.RPC_VERSION) {
      sendError(sink, ReplyHeader.rpcMismatch(xid, RpcMessages.RPC_VERSION, RpcMessages.RPC_VERSION));
      return false;
    }
    Credentials credentials;
    try {
      credentials = authenticator.authenticate(call);
    } catch (RpcException e) {
      sendError(sink, ReplyHeader.authError(xid, e.authStatus()));
      return false;
    }
    NavigableMap<Integer, ServiceDefinition> versions = registry.versions(call.program());
    if (versions == null) {
      sendError(sink, ReplyHeader.accepted(xid, RpcStatus.PROG_UNAVAIL));
      return false;
    }
    ServiceDefinition service = versions.get(call.version());
    if (service == null) {
      sendError(sink, ReplyHeader.progMismatch(xid, versions.firstKey(), versions.lastKey()));
      return false;
    }
    if (call.procedure() == 0) {
      calls.increment();
      ByteBuf reply = sink.newReply();
      RpcMessages.writeSuccessHeader(new XdrWriter(reply), xid);
      sink.send(reply);
      return false;
    }
    ServerMethod<?, ?> method = service.method(call.procedure());
    if (method == null) {
      sendError(sink, ReplyHeader.accepted(xid, RpcStatus.PROC_UNAVAIL));
      return false;
    }
    return start(method, in, call, credentials, sink);
  }

  private <A, R> boolean start(
      ServerMethod<A, R> method, XdrReader in, CallHeader call, Credentials credentials, ReplySink sink) {
    A args;
    try {
      args = method.procedure().arguments().decode(in);
      if (in.remaining() != 0) {
        throw new XdrException(in.remaining() + " bytes after the arguments");
      }
    } catch (XdrException e) {
      LOG.debug("garbage arguments for {} from {}: {}",
          method.procedure().describe(), sink.remoteAddress(), e.getMessage());
      sendError(sink, ReplyHeader.accepted(call.xid(), RpcStatus.GARBAGE_ARGS));
      return false;
    }
    calls.increment();
    CallContext context = new CallContext(call.xid(), call.program(), call.version(),
        call.procedure(), credentials, sink.remoteAddress(), sink.transport());
    if (executor == null) {
      run(method, args, context, sink);
      return true;
    }
    try {
      executor.execute(() -> run(method, args, context, sink));
    } catch (RejectedExecutionException e) {
      LOG.warn("executor refused {}: {}", method.procedure().describe(), e.toString());
      sendError(sink, ReplyHeader.accepted(call.xid(), RpcStatus.SYSTEM_ERR));
      sink.callDone();
    }
    return true;
  }

  private <A, R> void run(ServerMethod<A, R> method, A args, CallContext context, ReplySink sink) {
    if (method.async()) {
      try {
        method.invokeAsync(args, context).whenComplete((result, failure) -> {
          finish(method, context, result, failure, sink);
        });
      } catch (RuntimeException e) {
        finish(method, context, null, e, sink);
      }
      return;
    }
    R result = null;
    Throwable failure = null;
    try {
      result = method.invokeSync(args, context);
    } catch (Exception e) {
      failure = e;
    }
    finish(method, context, result, failure, sink);
  }

  private <R> void finish(
      ServerMethod<?, R> method, CallContext context, R result, Throwable failure, ReplySink sink) {
    try {
      if (method.oneway()) {
        if (failure != null) {
          LOG.warn("one-way {} failed: {}", method.procedure().describe(), failure.toString());
        }
        return;
      }
      if (failure != null) {
        sendError(sink, failureReply(method, context.xid(), failure));
        return;
      }
      ByteBuf reply = sink.newReply();
      try {
        XdrWriter out = new XdrWriter(reply);
        RpcMessages.writeSuccessHeader(out, context.xid());
        method.procedure().result().encode(out, result);
      } catch (RuntimeException e) {
        reply.release();
        LOG.warn("could not encode the result of {}: {}", method.procedure().describe(), e.toString());
        sendError(sink, ReplyHeader.accepted(context.xid(), RpcStatus.SYSTEM_ERR));
        return;
      }
      sink.send(reply);
    } finally {
      sink.callDone();
    }
  }

  private static ReplyHeader failureReply(ServerMethod<?, ?> method, int xid, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof RpcException e && e.status().kind() != RpcStatus.Kind.LOCAL
        && e.status() != RpcStatus.SUCCESS) {
      return switch (e.status()) {
        case PROG_MISMATCH -> ReplyHeader.progMismatch(xid, e.low(), e.high());
        case RPC_MISMATCH -> ReplyHeader.rpcMismatch(xid, e.low(), e.high());
        case AUTH_ERROR -> ReplyHeader.authError(xid, e.authStatus());
        default -> ReplyHeader.accepted(xid, e.status());
      };
    }
    LOG.warn("{} failed: {}", method.procedure().describe(), cause.toString());
    return ReplyHeader.accepted(xid, RpcStatus.SYSTEM_ERR);
  }

  private void sendError(ReplySink sink, ReplyHeader header) {
    errorReplies.increment();
    ByteBuf reply = sink.newReply();
    RpcMessages.writeReply(new XdrWriter(reply), header);
    sink.send(reply);
  }
}
