package org.onyxrpc.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.logging.CallLogging;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.ReadmeSnippets;

/** The README's OpenTelemetry snippet is this test's code, and it traces a real call. */
class ReadmeTracingTest {
  private static final Path SOURCE =
      Path.of("src/test/java/org/onyxrpc/opentelemetry/ReadmeTracingTest.java");

  @Test
  void theSnippetIsThisTestsCodeAndWorks() throws Exception {
    int port = 0;
    ServiceDefinition service = ServiceDefinition.builder(TracingTest.PROGRAM, 1)
        .procedure(TracingTest.ECHO, (s, ctx) -> s).build();
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetry openTelemetry = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();

    // README:begin
    RpcTracing tracing = RpcTracing.create(openTelemetry); // propagating W3C trace context
    RpcServer server = RpcServer.builder().port(port).addService(service)
        .intercept(tracing.serverInterceptor(), CallLogging.server())
        .build().start();
    RpcClient client = RpcClient.builder().address("localhost", server.port())
        .intercept(tracing.clientInterceptor(), CallLogging.client())
        .build();
    // README:end

    try (server; client) {
      client.call(TracingTest.ECHO, "hi");
    }
    List<SpanData> finished = spans.getFinishedSpanItems();
    SpanData clientSpan = finished.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    SpanData serverSpan = finished.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    assertEquals(clientSpan.getSpanId(), serverSpan.getParentSpanId());
    assertEquals(ReadmeSnippets.block("Observability", SOURCE, "RpcTracing tracing"),
        ReadmeSnippets.region(SOURCE), "README.md's OpenTelemetry snippet differs from " + SOURCE);
  }
}
