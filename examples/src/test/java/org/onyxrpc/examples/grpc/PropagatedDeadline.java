package org.onyxrpc.examples.grpc;

import java.time.Duration;
import java.util.Optional;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.ClientInterceptor;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.ServerCall;
import org.onyxrpc.server.ServerInterceptor;

/**
 * What a gRPC user gets from {@code grpc-timeout}, written with Onyx's interceptors (README,
 * Coming from gRPC): ONC RPC sends no deadline, so the client interceptor sends the call's as
 * metadata, the server interceptor keeps it while the procedure runs, and the calls the procedure
 * makes through a client with the client interceptor get no more than what is left of it. A
 * synchronous procedure's own thread only: what an asynchronous one calls later, from a
 * callback, is not bounded. The server counts the deadline from when the procedure starts, so it
 * is an upper bound: the network's time, retransmissions and the wait in the server's queue are
 * not taken off.
 */
final class PropagatedDeadline {
  /** The metadata key: the call's deadline in milliseconds, as its client gave it. */
  static final String KEY = "deadline-ms";
  /** Longer than this is taken as no deadline (and keeps the sum below from overflowing). */
  private static final long LONGEST_MILLIS = Duration.ofDays(365).toMillis();
  /** The System.nanoTime() at which the caller of the running procedure gives up. */
  private static final ThreadLocal<Long> END = new ThreadLocal<>();

  private PropagatedDeadline() {}

  /** What is left of the running procedure's caller's deadline, if it sent one. */
  static Optional<Duration> remaining() {
    Long end = END.get();
    return end == null ? Optional.empty() : Optional.of(Duration.ofNanos(end - System.nanoTime()));
  }

  /** Bounds each call by the running procedure's deadline, and sends the call's own. */
  static ClientInterceptor client() {
    return call -> {
      CallOptions options = call.options();
      Optional<Duration> left = remaining();
      if (left.isPresent()) {
        if (left.get().isNegative() || left.get().isZero()) {
          throw new RpcException(RpcStatus.TIMEOUT, "not sent: the calling procedure's deadline passed");
        }
        if (options.deadline() == null || left.get().compareTo(options.deadline()) < 0) {
          options = options.withDeadline(left.get());
          call.options(options);
        }
      }
      if (options.deadline() != null) { // null: the client's timeout, which we leave unsaid
        call.metadata().put(KEY, Long.toString(options.deadline().toMillis()));
      }
    };
  }

  /** Keeps the caller's deadline for the procedure's thread while it runs. */
  static ServerInterceptor server() {
    return new ServerInterceptor() {
      @Override
      public void onStart(ServerCall call) {}

      @Override
      public void around(ServerCall call, Runnable procedure) {
        long millis = parse(call.metadata().get(KEY)); // a peer's text: anything may come
        if (millis <= 0) {
          procedure.run();
          return;
        }
        END.set(System.nanoTime() + Duration.ofMillis(millis).toNanos());
        try {
          procedure.run();
        } finally {
          END.remove();
        }
      }
    };
  }

  private static long parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 12) {
      return -1;
    }
    try {
      long millis = Long.parseLong(text);
      return millis > LONGEST_MILLIS ? -1 : millis;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
