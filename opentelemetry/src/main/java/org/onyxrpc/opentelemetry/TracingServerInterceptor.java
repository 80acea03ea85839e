package org.onyxrpc.opentelemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.InetSocketAddress;
import org.onyxrpc.rpc.CallMetadata;
import org.onyxrpc.server.ServerCall;
import org.onyxrpc.server.ServerInterceptor;

/**
 * A SERVER span per call, the child of the client's span when its context came in the call's
 * metadata; current while the procedure runs.
 */
final class TracingServerInterceptor implements ServerInterceptor {
  private static final TextMapGetter<CallMetadata> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(CallMetadata metadata) {
      return metadata.keys();
    }

    @Override
    public String get(CallMetadata metadata, String key) {
      return metadata == null ? null : metadata.get(key);
    }
  };
  private static final Object CONTEXT = new Object();

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  TracingServerInterceptor(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  public void onStart(ServerCall call) {
    Context parent = propagator.extract(Context.root(), call.metadata(), GETTER);
    var builder = SpanNames.callSpan(tracer, call.procedure(), parent, SpanKind.SERVER)
        .setAttribute("network.transport", call.context().transport().netid());
    if (call.context().remoteAddress() instanceof InetSocketAddress client) {
      builder.setAttribute("client.address", client.getHostString())
          .setAttribute("client.port", (long) client.getPort());
    }
    call.attach(CONTEXT, parent.with(builder.startSpan()));
  }

  @Override
  @SuppressWarnings("try") // the scope is held for its closing only
  public void around(ServerCall call, Runnable procedure) {
    Context context = (Context) call.attachment(CONTEXT);
    try (Scope ignored = context.makeCurrent()) {
      procedure.run();
    }
  }

  @Override
  public void onClose(ServerCall call) {
    Context context = (Context) call.attachment(CONTEXT);
    if (context != null) {
      SpanNames.end(Span.fromContext(context), call.status(), call.failure());
    }
  }
}
