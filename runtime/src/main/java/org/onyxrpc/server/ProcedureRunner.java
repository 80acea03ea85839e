package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a call that {@link CallProcessor} handed to its procedure, inside the server's
 * interceptors, and ends it exactly once: encodes the result or the failure into the reply, saves
 * that in the duplicate request cache, sends it, and gives back the decoding budget the arguments
 * held. One per server; a call costs it no allocation beyond what its procedure and reply need,
 * since procedures may run inline on the event loop.
 */
final class ProcedureRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ProcedureRunner.class);
  private static final RateLimitedLog PROCEDURE_FAILURES = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  /** Whether an intercepted call's procedure ran: {@link #runIntercepted}. */
  private static final int NOT_RUN = 0;
  private static final int RAN = 1;
  private static final int TOO_LATE = 2;

  /**
   * One call on its way through a procedure: what its reply needs besides the result, the
   * estimated bytes of its arguments, and the address whose {@link DecodedShares share} they are
   * charged to as well (null: none), and its slot among its connection's running calls ({@link
   * CallConnection#callStarted}). Immutable, but not a record: a call queued on an executor is
   * one object with its queue entry ({@link QueuedCall} extends it), not two.
   */
  static class Running {
    private final CallContext context;
    private final OpaqueAuth verifier;
    private final DuplicateRequestCache.Key key; // null: not at-most-once
    private final long decodedBytes;
    private final Object share;
    private final ServerCall observed; // null: no interceptors
    private final int slot;

    Running(CallContext context, OpaqueAuth verifier, DuplicateRequestCache.Key key,
        long decodedBytes, Object share, ServerCall observed, int slot) {
      this.context = context;
      this.verifier = verifier;
      this.key = key;
      this.decodedBytes = decodedBytes;
      this.share = share;
      this.observed = observed;
      this.slot = slot;
    }

    final CallContext context() {
      return context;
    }

    final OpaqueAuth verifier() {
      return verifier;
    }

    final DuplicateRequestCache.Key key() {
      return key;
    }

    final long decodedBytes() {
      return decodedBytes;
    }

    final Object share() {
      return share;
    }

    final ServerCall observed() {
      return observed;
    }

    final int slot() {
      return slot;
    }
  }

  private final ServerInterceptors interceptors; // null: none
  private final DuplicateRequestCache cache; // null: none
  private final ByteBudget decoded;
  private final DecodedShares shares;
  private final LongAdder errorReplies;
  private final RateLimitedLog failures = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);

  /** Counts the error replies it writes in {@code errorReplies}. */
  ProcedureRunner(ServerInterceptors interceptors, DuplicateRequestCache cache, ByteBudget decoded,
      DecodedShares shares, LongAdder errorReplies) {
    this.interceptors = interceptors;
    this.cache = cache;
    this.decoded = decoded;
    this.shares = shares;
    this.errorReplies = errorReplies;
  }

  /**
   * Once, when the call is over or dropped: gives back what its arguments were charged, and ends
   * it on its connection (what it registered to hear of the close will not run).
   */
  void giveBack(Running running) {
    if (running.share() != null) { // first: once the budget has the bytes back, so has the share
      shares.giveBack(running.share(), running.decodedBytes());
    }
    decoded.adjust(-running.decodedBytes());
    // Cheap unless its procedure watched: a volatile write and read.
    running.context().connection().callEnded(running.context(), running.slot());
  }

  /** Runs the call's procedure (inside its interceptors, if it has any) and replies once. */
  <A, R> void run(ServerMethod<A, R> method, A args, Running running, ReplySink sink) {
    ServerCall observed = running.observed();
    if (observed == null) {
      invoke(method, args, running, sink);
    } else {
      runIntercepted(method, args, running, sink, observed);
    }
  }

  /** Runs the procedure inside the interceptors, unless one refuses it; it finishes once. */
  private <A, R> void runIntercepted(ServerMethod<A, R> method, A args, Running running,
      ReplySink sink, ServerCall observed) {
    Throwable refused = interceptors.start(observed);
    if (refused != null) {
      finish(method, running, null, refused, sink);
      return;
    }
    if (observed.answered()) { // in place of the procedure: replied, cached and closed as its result
      @SuppressWarnings("unchecked") // of R, as ServerCall.answer asks; else its encoding fails
      R answer = (R) observed.result();
      finish(method, running, answer, null, sink);
      return;
    }
    // NOT_RUN until the procedure runs (RAN) or around() returns without running it (TOO_LATE):
    // an interceptor that runs it later, on another thread, finds the call already failed, and
    // the call is finished (its bytes and its place given back) once either way.
    AtomicInteger ran = new AtomicInteger(NOT_RUN);
    try {
      interceptors.around(observed, () -> {
        if (ran.compareAndSet(NOT_RUN, RAN)) {
          invoke(method, args, running, sink);
        } else if (ran.get() == TOO_LATE) {
          failures.warn(LOG, "a server interceptor ran {} after its around() returned: not run",
              method.procedure().describe());
        }
      });
    } catch (RuntimeException | Error e) { // an interceptor's bug still ends the call once
      if (ran.compareAndSet(NOT_RUN, TOO_LATE)) {
        finish(method, running, null, e, sink);
      } else {
        failures.warn(LOG, "server interceptor failed around {}: {}", method.procedure().describe(),
            e.toString());
      }
      return;
    }
    if (ran.compareAndSet(NOT_RUN, TOO_LATE)) {
      finish(method, running, null, new IllegalStateException(
          "a server interceptor's around() did not run " + method.procedure().describe()), sink);
    }
  }

  private <A, R> void invoke(ServerMethod<A, R> method, A args, Running running, ReplySink sink) {
    if (method.async()) {
      try {
        method.invokeAsync(args, running.context()).whenComplete((result, failure) -> {
          finish(method, running, result, failure, sink);
        });
      } catch (Throwable e) {
        finish(method, running, null, e, sink);
      }
      return;
    }
    R result = null;
    Throwable failure = null;
    try {
      result = method.invokeSync(args, running.context());
    } catch (Throwable e) { // a procedure's failure, whatever it is, is its caller's SYSTEM_ERR
      failure = e;
    }
    finish(method, running, result, failure, sink);
  }


  private <R> void finish(
      ServerMethod<?, R> method, Running running, R result, Throwable failure, ReplySink sink) {
    giveBack(running); // the procedure is done with its arguments and its connection's watch
    boolean ended = false;
    try {
      if (endedWithoutReply(method, running, result, failure)) {
        return;
      }
      int xid = running.context().xid();
      ByteBuf reply = sink.newReply();
      try {
        int start = reply.writerIndex();
        RpcStatus status = RpcStatus.SUCCESS;
        if (failure != null) {
          ReplyHeader error = failureReply(method, xid, failure);
          status = error.status();
          writeError(reply, error);
        } else {
          // A large opaque result given as a buffer (a slice of the call, say) is sent from where
          // it is, by a gathering write, not copied into the reply.
          XdrWriter out = sink.replyWriter(reply);
          try {
            RpcMessages.writeSuccessHeader(out, xid, running.verifier());
            method.procedure().result().encode(out, result);
            reply = out.buffer();
            sink.replyWriterDone(out);
          } catch (RuntimeException | Error e) { // an Error too: a deep result overflows the stack
            reply = null;
            sink.discard(out.buffer()); // what was gathered too
            sink.replyWriterDone(out);
            resultNotEncoded(method, result, e);
            reply = sink.newReply();
            writeError(reply, ReplyHeader.accepted(xid, RpcStatus.SYSTEM_ERR));
            status = RpcStatus.SYSTEM_ERR;
            failure = e;
          }
        }
        if (running.key() != null) {
          // First: a retransmission over this connection handled between here and the reply's
          // write must wait for that reply, not be told "outcome unknown" ahead of it.
          sink.connection().replying(running.key());
          cache.complete(running.key(), ByteBufUtil.getBytes(reply, start, reply.writerIndex() - start));
        }
        observeEnd(running, status, failure == null ? result : null, failure);
        ByteBuf whole = reply;
        reply = null; // the sink's from here, even if sending fails
        ended = true; // sendLast ends the call, whether sending fails or not
        sink.sendLast(whole);
      } finally {
        if (reply != null) { // not sent (an interceptor or the allocator failed): given back
          sink.discard(reply);
        }
      }
    } catch (RuntimeException | Error e) {
      if (running.key() != null) {
        cache.abandon(running.key()); // no reply saved: a retransmission must not wait for one
      }
      failures.warn(LOG, "could not reply to {}: {}", method.procedure().describe(), e.toString());
    } finally {
      if (!ended) {
        sink.callDone();
      }
    }
  }

  /**
   * True if the call sends no reply, its end told to its interceptors: its procedure chose to
   * send none ({@link NoReply}), or it is one-way.
   */
  private <R> boolean endedWithoutReply(
      ServerMethod<?, R> method, Running running, R result, Throwable failure) {
    if (unwrap(failure) instanceof NoReply silent) {
      LOG.debug("{}: no reply ({})", method.procedure().describe(), silent.getMessage());
      if (running.key() != null) {
        cache.abandon(running.key());
      }
      observeEnd(running, RpcStatus.CANCELLED, null, failure);
      return true;
    }
    if (method.oneway()) {
      if (failure != null) {
        failures.warn(LOG, "one-way {} failed: {}", method.procedure().describe(), loggable(failure));
      }
      observeEnd(running, failure == null ? RpcStatus.SUCCESS : RpcStatus.SYSTEM_ERR, result, failure);
      return true;
    }
    return false;
  }

  /** Tells the call's interceptors how it ended, if it has any; before its reply is sent. */
  private void observeEnd(Running running, RpcStatus status, Object result, Throwable failure) {
    ServerCall observed = running.observed();
    if (observed != null) {
      interceptors.close(observed, status, result, unwrap(failure));
    }
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
  }

  private void resultNotEncoded(ServerMethod<?, ?> method, Object result, Throwable e) {
    if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
      CallProcessor.OUT_OF_RESOURCES.error(LOG, "out of resources encoding the result of {}", method.procedure().describe(), e);
    } else if (result == null && e instanceof NullPointerException) {
      // The codec's own message names its internals ("because "seq" is null"), not the mistake:
      // the procedure's, which gave null where its result's type has none.
      failures.warn(LOG, "could not encode the result of {}: the procedure returned null, and"
          + " only optional data (T *) may be null", method.procedure().describe());
    } else {
      failures.warn(LOG, "could not encode the result of {}: {}", method.procedure().describe(), e.toString());
    }
  }

  /**
   * What a line says of a procedure's exception: its class and its message, cut short and on one
   * line ({@link RateLimitedLog#shortText}), since the message may quote the caller's arguments,
   * as large as a record; then where it was thrown, so that the one line (the log carries no stack
   * trace of it) leads to the code that threw.
   */
  static String loggable(Throwable failure) {
    String message = failure.getLocalizedMessage();
    String type = failure.getClass().getName();
    return (message == null ? type : type + ": " + RateLimitedLog.shortText(message)) + thrownAt(failure);
  }

  /**
   * " (at FRAME)": the first frame of the exception's stack outside the JDK (an NPE of
   * Objects.requireNonNull is told at its caller), else its first; empty for one made without
   * a stack trace.
   */
  static String thrownAt(Throwable failure) {
    StackTraceElement[] frames = failure.getStackTrace();
    if (frames.length == 0) {
      return "";
    }
    for (StackTraceElement frame : frames) {
      String owner = frame.getClassName();
      if (!(owner.startsWith("java.") || owner.startsWith("javax.") || owner.startsWith("jdk.")
          || owner.startsWith("sun."))) {
        return " (at " + frame + ")";
      }
    }
    return " (at " + frames[0] + ")";
  }

  private static ReplyHeader failureReply(ServerMethod<?, ?> method, int xid, Throwable failure) {
    Throwable cause = unwrap(failure);
    ReplyHeader refusal = cause instanceof RpcException e ? refusal(xid, e) : null;
    if (refusal != null) {
      return refusal;
    }
    if (cause instanceof VirtualMachineError && !(cause instanceof StackOverflowError)) {
      CallProcessor.OUT_OF_RESOURCES.error(LOG, "{} ran out of resources", method.procedure().describe(), cause);
    } else {
      PROCEDURE_FAILURES.warn(LOG, "{} failed: {}", method.procedure().describe(), loggable(cause));
    }
    return ReplyHeader.accepted(xid, RpcStatus.SYSTEM_ERR);
  }

  /**
   * The reply that tells a caller {@code e}, thrown to refuse or fail its call (by a procedure,
   * an interceptor or the authenticator), or null if its status is none a reply carries (the
   * client's own, or SUCCESS), or one {@link RpcException#received() received} in a reply to a
   * call made from here, which is another call's status: the caller's call ran. An AUTH_ERROR made without a reason ({@code new
   * RpcException(AUTH_ERROR, why)} rather than {@link RpcException#authError}) is AUTH_FAILED,
   * "reason unknown": AUTH_OK refuses nothing, and writing it failed the reply, so the call was
   * left unanswered.
   */
  static ReplyHeader refusal(int xid, RpcException e) {
    if (e.status().kind() == RpcStatus.Kind.LOCAL || e.status() == RpcStatus.SUCCESS || e.received()) {
      return null;
    }
    return switch (e.status()) {
      case PROG_MISMATCH -> ReplyHeader.progMismatch(xid, e.low(), e.high());
      case RPC_MISMATCH -> ReplyHeader.rpcMismatch(xid, e.low(), e.high());
      case AUTH_ERROR -> ReplyHeader.authError(xid,
          e.authStatus() == AuthStatus.AUTH_OK ? AuthStatus.AUTH_FAILED : e.authStatus());
      default -> ReplyHeader.accepted(xid, e.status());
    };
  }

  /** Writes an error reply, counting it. */
  void writeError(ByteBuf reply, ReplyHeader header) {
    errorReplies.increment();
    RpcMessages.writeReply(new XdrWriter(reply), header);
  }
}
