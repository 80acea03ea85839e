package org.onyxrpc.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import org.onyxrpc.server.ServerCall;
import org.onyxrpc.server.ServerInterceptor;

/**
 * A server interceptor that measures every call handed to a procedure, per procedure:
 * <ul>
 *   <li>{@code onyx.server.calls}: a timer tagged {@code program}, {@code version}, {@code
 *       procedure}, {@code method} and {@code status} (the reply's {@link
 *       org.onyxrpc.rpc.RpcStatus}), from the call's arrival to its reply;
 *   <li>{@code onyx.server.calls.active}: a gauge of the calls in flight, per procedure.
 * </ul>
 * The server's own counters are bound with {@link ServerStatsMetrics}.
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder().port(4711).addService(service)
 *     .intercept(new ServerMetrics(registry))
 *     .build().start();
 * }</pre>
 */
public final class ServerMetrics implements ServerInterceptor {
  private final CallMeters meters;

  /**
   * Records into {@code registry}.
   *
   * @param registry where the {@code onyx.server.calls} timers and {@code .calls.active} gauges
   *     go, made on each procedure's first call
   */
  public ServerMetrics(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /**
   * Records into {@code registry}, every meter also tagged with {@code tags}.
   *
   * @param registry where the {@code onyx.server.calls} timers and {@code .calls.active} gauges
   *     go, made on each procedure's first call
   * @param tags added to every meter's own ({@code program}, {@code version}, {@code procedure},
   *     {@code method}, {@code status})
   */
  public ServerMetrics(MeterRegistry registry, Iterable<Tag> tags) {
    this.meters = new CallMeters(registry, "onyx.server", tags);
  }

  @Override
  public void onStart(ServerCall call) {
    meters.started(call.procedure());
  }

  @Override
  public void onClose(ServerCall call) {
    meters.ended(call.procedure(), call.status(), call.durationNanos());
  }
}
