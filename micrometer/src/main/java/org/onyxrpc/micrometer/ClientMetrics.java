package org.onyxrpc.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import org.onyxrpc.client.ClientCall;
import org.onyxrpc.client.ClientInterceptor;

/**
 * A client interceptor that measures every call, per procedure:
 * <ul>
 *   <li>{@code onyx.client.calls}: a timer tagged {@code program}, {@code version}, {@code
 *       procedure} (numbers), {@code method} (the procedure's name) and {@code status} (an
 *       {@link org.onyxrpc.rpc.RpcStatus}): call counts, status counts and the latency
 *       histogram in one;
 *   <li>{@code onyx.client.calls.active}: a gauge of the calls in flight, per procedure.
 * </ul>
 * One instance may serve many clients; the counters of one client are bound with {@link
 * ClientStatsMetrics}.
 *
 * <pre>{@code
 * RpcClient client = RpcClient.builder().address("localhost", 4711)
 *     .intercept(new ClientMetrics(registry))
 *     .build();
 * }</pre>
 */
public final class ClientMetrics implements ClientInterceptor {
  private final CallMeters meters;

  /**
   * Records into {@code registry}.
   *
   * @param registry where the {@code onyx.client.calls} timers and {@code .calls.active} gauges
   *     go, made on each procedure's first call
   */
  public ClientMetrics(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /**
   * Records into {@code registry}, every meter also tagged with {@code tags}.
   *
   * @param registry where the {@code onyx.client.calls} timers and {@code .calls.active} gauges
   *     go, made on each procedure's first call
   * @param tags added to every meter's own ({@code program}, {@code version}, {@code procedure},
   *     {@code method}, {@code status})
   */
  public ClientMetrics(MeterRegistry registry, Iterable<Tag> tags) {
    this.meters = new CallMeters(registry, "onyx.client", tags);
  }

  @Override
  public void onStart(ClientCall call) {
    meters.started(call.procedure());
  }

  @Override
  public void onClose(ClientCall call) {
    meters.ended(call.procedure(), call.status(), call.durationNanos());
  }
}
