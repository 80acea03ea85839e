package org.onyxrpc.server;

import java.util.List;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.rpc.CallMetadata;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's interceptors, in order, built once with the server; a server without any has none
 * of this (null), so its calls make no {@link ServerCall}.
 */
final class ServerInterceptors {
  private static final Logger LOG = LoggerFactory.getLogger(ServerInterceptors.class);
  /** An interceptor's bug fails every call it sees: its stack is logged once an interval. */
  private static final RateLimitedLog FAILURES = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  /** Its onClose's, apart: one kind of bug does not hide the other for the interval. */
  private static final RateLimitedLog CLOSE_FAILURES = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);

  private final ServerInterceptor[] interceptors;

  private ServerInterceptors(ServerInterceptor[] interceptors) {
    this.interceptors = interceptors;
  }

  /** The chain of {@code interceptors}, or null if there are none. */
  static ServerInterceptors of(List<ServerInterceptor> interceptors) {
    return interceptors.isEmpty() ? null
        : new ServerInterceptors(interceptors.toArray(new ServerInterceptor[0]));
  }

  ServerCall newCall(CallContext context, Procedure<?, ?> procedure, CallSemantics semantics,
      boolean oneWay, CallMetadata metadata) {
    return new ServerCall(context, procedure, semantics, oneWay, metadata, System.nanoTime());
  }

  /**
   * Runs each onStart, until one throws or answers the call ({@link ServerCall#answered()}): what
   * it threw refuses the call; else null.
   */
  Throwable start(ServerCall call) {
    try {
      for (ServerInterceptor interceptor : interceptors) {
        call.started++;
        call.starting = true;
        try {
          interceptor.onStart(call);
        } finally {
          call.starting = false;
        }
        if (call.answered()) { // those after it never see the call, as after a refusal
          return null;
        }
      }
      return null;
    } catch (RpcException e) {
      return e;
    } catch (RuntimeException | Error e) { // an interceptor's bug still ends the call once
      String what = "a server interceptor failed as " + call.procedure().describe() + " started: " + e;
      FAILURES.warn(LOG, "{}", what, e);
      // Told here, with its stack: as SYSTEM_ERR, the reply does not log it again as the procedure's.
      return new RpcException(RpcStatus.SYSTEM_ERR, what, e);
    }
  }

  /** Runs {@code procedure} inside every interceptor's {@link ServerInterceptor#around}. */
  void around(ServerCall call, Runnable procedure) {
    around(call, procedure, 0);
  }

  private void around(ServerCall call, Runnable procedure, int next) {
    if (next == interceptors.length) {
      procedure.run();
    } else {
      interceptors[next].around(call, () -> around(call, procedure, next + 1));
    }
  }

  /** Records the outcome and runs the onClose of the interceptors started, last first. */
  void close(ServerCall call, RpcStatus status, Object result, Throwable failure) {
    call.end(status, result, failure, System.nanoTime());
    for (int i = call.started - 1; i >= 0; i--) {
      try {
        interceptors[i].onClose(call);
      } catch (RuntimeException | Error e) { // the reply goes out whatever an observer does
        // Once an interval, as onStart's: a bug here fails in every call, each with its stack.
        CLOSE_FAILURES.warn(LOG, "server interceptor {} failed closing {}: {}", interceptors[i],
            call.procedure().describe(), e.toString(), e);
      }
    }
  }
}
