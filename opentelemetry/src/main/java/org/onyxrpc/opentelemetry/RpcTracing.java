package org.onyxrpc.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Objects;
import org.onyxrpc.client.ClientInterceptor;
import org.onyxrpc.server.ServerInterceptor;

/**
 * OpenTelemetry tracing for Onyx: a span per call on each side, the client's of kind {@code
 * CLIENT}, the server's of kind {@code SERVER} and its child, with the attributes {@code
 * rpc.system} ({@code onc_rpc}), {@code rpc.service}, {@code rpc.method} and the program,
 * version and procedure numbers.
 *
 * <pre>{@code
 * RpcTracing tracing = RpcTracing.create(openTelemetry);
 * RpcClient client = RpcClient.builder().address("localhost", 4711)
 *     .intercept(tracing.clientInterceptor()).build();
 * RpcServer server = RpcServer.builder().port(4711).addService(service)
 *     .intercept(tracing.serverInterceptor()).build().start();
 * }</pre>
 *
 * <p>ONC RPC has no headers: the client's {@link TextMapPropagator} (W3C {@code traceparent}
 * and {@code tracestate} with the SDK's defaults) writes the trace context into the call's
 * {@link org.onyxrpc.rpc.CallMetadata}, which travels in Onyx's call tag, and only to servers
 * that have said they read it; a C server, or an Onyx server from before call metadata, gets no
 * trace context and its calls start no server-side trace. The server makes its span current
 * while the procedure runs, so spans the procedure starts are its children.
 */
public final class RpcTracing {
  /** The instrumentation scope name of the spans. */
  public static final String INSTRUMENTATION_NAME = "org.onyxrpc";

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  private RpcTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION_NAME);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /**
   * Tracing through {@code openTelemetry}'s tracer and propagators.
   *
   * @param openTelemetry whose tracer (scope {@value #INSTRUMENTATION_NAME}) makes the spans and
   *     whose text-map propagator carries their context; not null
   * @return the tracing, whose interceptors each client and server builder takes
   * @throws NullPointerException if {@code openTelemetry} is null
   */
  public static RpcTracing create(OpenTelemetry openTelemetry) {
    return new RpcTracing(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /**
   * Starts a client span per call and sends its context along.
   *
   * @return a new interceptor, for a client builder's {@code intercept}
   */
  public ClientInterceptor clientInterceptor() {
    return new TracingClientInterceptor(tracer, propagator);
  }

  /**
   * Starts a server span per call, the child of the client's when its context came along.
   *
   * @return a new interceptor, for a server builder's {@code intercept}
   */

  public ServerInterceptor serverInterceptor() {
    return new TracingServerInterceptor(tracer, propagator);
  }
}
