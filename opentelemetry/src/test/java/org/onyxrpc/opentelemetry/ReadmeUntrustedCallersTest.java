package org.onyxrpc.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.ReadmeSnippets;

/**
 * The README's snippet for servers that untrusted callers reach is this test's code: a caller's
 * sampled {@code traceparent} forces a server span under the SDK's default ParentBased sampler,
 * and does not under the snippet's sampler; the snippet's server without propagators does not
 * join the caller's trace at all.
 */
class ReadmeUntrustedCallersTest {
  private static final Path SOURCE =
      Path.of("src/test/java/org/onyxrpc/opentelemetry/ReadmeUntrustedCallersTest.java");
  /** A trace id that TraceIdRatioBased(0.01) does not sample: its lower 64 bits are the largest. */
  private static final String TRACE_ID = "00000000000000017fffffffffffffff";

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final ServiceDefinition service = ServiceDefinition.builder(TracingTest.PROGRAM, 1)
      .procedure(TracingTest.ECHO, (s, ctx) -> s).build();

  @Test
  void aSampledCallerForcesAServerSpanUnderTheDefaultSampler() throws Exception {
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(0.01)))
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    OpenTelemetry serverSide = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    List<SpanData> server = serverSpansOfASampledCall(serverSide);
    assertEquals(1, server.size(), server.toString());
    assertEquals(TRACE_ID, server.get(0).getTraceId());
  }

  @Test
  void theSnippetsSamplerAndServerLeaveTheCallersParentAlone() throws Exception {
    int port = 0;
    SpanProcessor processor = SimpleSpanProcessor.create(spans);

    // README:begin
    // A remote parent's sampled flag no longer decides: the server's own ratio does.
    Sampler ratio = Sampler.traceIdRatioBased(0.01);
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .setSampler(Sampler.parentBasedBuilder(ratio)
            .setRemoteParentSampled(ratio)
            .setRemoteParentNotSampled(ratio)
            .build())
        .addSpanProcessor(processor)
        .build();
    OpenTelemetry withPropagators = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    // Or read no caller's context at all: without propagators each server span starts a trace.
    OpenTelemetry serverSide = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
    RpcServer server = RpcServer.builder().port(port).addService(service)
        .intercept(RpcTracing.create(serverSide).serverInterceptor())
        .build().start();
    // README:end
    server.close();

    assertTrue(serverSpansOfASampledCall(withPropagators).isEmpty(), spans.getFinishedSpanItems().toString());
    spans.reset();
    SdkTracerProvider sampled = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
        .addSpanProcessor(processor).build();
    List<SpanData> own = serverSpansOfASampledCall(OpenTelemetrySdk.builder().setTracerProvider(sampled).build());
    assertEquals(1, own.size(), own.toString());
    assertNotEquals(TRACE_ID, own.get(0).getTraceId());
    assertFalse(own.get(0).getParentSpanContext().isValid(), own.toString());
    assertEquals(ReadmeSnippets.block("Observability", SOURCE, "// A remote parent's"),
        ReadmeSnippets.region(SOURCE), "README.md's snippet differs from " + SOURCE);
  }

  /**
   * The server spans of one call made by a client whose trace, TRACE_ID, is sampled, to a server
   * traced through {@code serverSide}.
   */
  private List<SpanData> serverSpansOfASampledCall(OpenTelemetry serverSide) throws Exception {
    OpenTelemetry callerSide = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    SpanContext callers = SpanContext.createFromRemoteParent(TRACE_ID, "00000000000000aa",
        TraceFlags.getSampled(), TraceState.getDefault());
    try (RpcServer server = RpcServer.builder().port(0).addService(service)
            .intercept(RpcTracing.create(serverSide).serverInterceptor()).build().start();
        RpcClient client = RpcClient.builder().address("localhost", server.port())
            .intercept(RpcTracing.create(callerSide).clientInterceptor()).build();
        Scope ignored = Context.root().with(Span.wrap(callers)).makeCurrent()) {
      client.ping(TracingTest.PROGRAM, 1); // the server's reply says it reads the trace context
      client.call(TracingTest.ECHO, "hi");
    }
    return spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.SERVER).toList();
  }
}
