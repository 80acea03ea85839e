package org.onyxrpc.opentelemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.InetSocketAddress;
import org.onyxrpc.client.ClientCall;
import org.onyxrpc.client.ClientInterceptor;
import org.onyxrpc.rpc.CallMetadata;

/** A CLIENT span per call, the child of the caller's current span; its context goes along. */
final class TracingClientInterceptor implements ClientInterceptor {
  /** Writes an entry; one that does not fit in a call tag is left out rather than failing the call. */
  private static final TextMapSetter<CallMetadata> SETTER = (metadata, key, value) -> {
    try {
      metadata.put(key, value);
    } catch (IllegalArgumentException tooBigOrNotAscii) {
      // tracestate or baggage past what a call tag holds: the trace still links by traceparent
    }
  };
  private static final Object SPAN = new Object();

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  TracingClientInterceptor(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  public void onStart(ClientCall call) {
    Context parent = Context.current();
    SpanBuilder builder = SpanNames.callSpan(tracer, call.procedure(), parent, SpanKind.CLIENT)
        .setAttribute("network.transport", call.transport().netid());
    if (call.peer() instanceof InetSocketAddress server) {
      builder.setAttribute("server.address", server.getHostString())
          .setAttribute("server.port", (long) server.getPort());
    } else {
      builder.setAttribute("server.address", String.valueOf(call.peer()));
    }
    Span span = builder.startSpan();
    propagator.inject(parent.with(span), call.metadata(), SETTER);
    call.attach(SPAN, span);
  }

  @Override
  public void onClose(ClientCall call) {
    Span span = (Span) call.attachment(SPAN);
    if (span != null) {
      SpanNames.end(span, call.status(), call.failure());
    }
  }
}
