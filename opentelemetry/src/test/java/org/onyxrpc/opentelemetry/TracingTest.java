package org.onyxrpc.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.ScriptedTcpServer;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrWriter;

/** Spans on both sides of real calls, linked through the trace context in the call tag. */
class TracingTest {
  static final int PROGRAM = 0x20000A02;
  static final String SERVICE = "org.onyxrpc.testing.Traced";
  static final Procedure<String, String> ECHO =
      new Procedure<>(PROGRAM, 1, 1, "Traced.echo", XdrCodecs.STRING, XdrCodecs.STRING)
          .inService(SERVICE); // as generated code names it, with its SERVICE_NAME
  static final Procedure<Void, Void> FAIL =
      new Procedure<>(PROGRAM, 1, 2, "Traced.fail", XdrCodecs.VOID, XdrCodecs.VOID);

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();
  private final Tracer tracer = otel.getTracer("test");
  private final RpcTracing tracing = RpcTracing.create(otel);
  private ScriptedTcpServer plain;

  @AfterEach
  void stop() throws IOException {
    otel.close();
    if (plain != null) {
      plain.close();
    }
  }

  private RpcServer tracedServer() throws IOException {
    ServiceDefinition service = ServiceDefinition.builder(PROGRAM, 1)
        .procedure(ECHO, (s, ctx) -> {
          // A span the procedure starts is the server span's child.
          tracer.spanBuilder("inside").startSpan().end();
          return s;
        })
        .procedure(FAIL, (v, ctx) -> {
          throw new IllegalStateException("boom");
        })
        .build();
    return RpcServer.builder().port(0).addService(service)
        .intercept(tracing.serverInterceptor()).build().start();
  }

  private static SpanData named(List<SpanData> all, String name, SpanKind kind) {
    return all.stream().filter(s -> s.getName().equals(name) && s.getKind() == kind)
        .findFirst().orElseThrow(() -> new AssertionError(name + " " + kind + " in " + all));
  }

  @Test
  void theServerSpanIsTheClientSpansChildAcrossTheWire() throws Exception {
    try (RpcServer server = tracedServer();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .intercept(tracing.clientInterceptor()).build()) {
      Span test = tracer.spanBuilder("test").startSpan();
      try (Scope ignored = test.makeCurrent()) {
        assertEquals("hi", client.call(ECHO, "hi"));
      } finally {
        test.end();
      }
    }
    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData root = named(all, "test", SpanKind.INTERNAL);
    // rpc.service is the fully qualified name, as OpenTelemetry's conventions want it (before,
    // "Traced", without the package) and the span is named $rpc.service/$rpc.method
    SpanData clientSpan = named(all, SERVICE + "/echo", SpanKind.CLIENT);
    SpanData serverSpan = named(all, SERVICE + "/echo", SpanKind.SERVER);
    SpanData inside = named(all, "inside", SpanKind.INTERNAL);
    assertEquals(root.getTraceId(), serverSpan.getTraceId());
    assertEquals(root.getSpanId(), clientSpan.getParentSpanId());
    assertEquals(clientSpan.getSpanId(), serverSpan.getParentSpanId());
    assertEquals(serverSpan.getSpanId(), inside.getParentSpanId());
    assertEquals(true, serverSpan.getParentSpanContext().isRemote());
    for (SpanData s : List.of(clientSpan, serverSpan)) {
      assertEquals("onc_rpc", s.getAttributes().get(SpanNames.RPC_SYSTEM));
      assertEquals(SERVICE, s.getAttributes().get(SpanNames.RPC_SERVICE));
      assertEquals("echo", s.getAttributes().get(SpanNames.RPC_METHOD));
      assertEquals(PROGRAM, s.getAttributes().get(SpanNames.PROGRAM));
      assertEquals("SUCCESS", s.getAttributes().get(SpanNames.STATUS));
      assertEquals(StatusCode.UNSET, s.getStatus().getStatusCode());
    }
  }

  @Test
  void aFailedCallsSpansAreErrorsOnBothSides() throws Exception {
    try (RpcServer server = tracedServer();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .intercept(tracing.clientInterceptor()).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(FAIL, null));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status());
    }
    List<SpanData> all = spans.getFinishedSpanItems();
    // A procedure of no known service: the part of its name before the dot
    SpanData clientSpan = named(all, "Traced/fail", SpanKind.CLIENT);
    SpanData serverSpan = named(all, "Traced/fail", SpanKind.SERVER);
    assertEquals(clientSpan.getSpanId(), serverSpan.getParentSpanId());
    for (SpanData s : List.of(clientSpan, serverSpan)) {
      assertEquals(StatusCode.ERROR, s.getStatus().getStatusCode());
      assertEquals("SYSTEM_ERR", s.getAttributes().get(SpanNames.STATUS));
    }
  }

  /** A server that knows no Onyx tags, as a C server: it must receive no trace context. */
  @Test
  void aServerThatDoesNotUnderstandTagsGetsNoTraceContext() throws Exception {
    List<OpaqueAuth> verifiers = new CopyOnWriteArrayList<>();
    plain = new ScriptedTcpServer("plain-server",
        (call, reply, raw) -> answerPlainly(call, reply, verifiers));
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", plain.port())
        .intercept(tracing.clientInterceptor()).build()) {
      assertEquals("", client.call(ECHO, "ignored"));
      assertEquals("", client.call(ECHO, "ignored again"));
    }
    assertFalse(verifiers.isEmpty());
    // The first is the client's NULL ping, its tag probe: the one call that asks with a tag, and
    // with no trace context in it.
    assertNull(CallTag.of(verifiers.get(0)).metadata(), "the probe carries no trace context");
    for (OpaqueAuth verifier : verifiers.subList(1, verifiers.size())) {
      assertEquals(OpaqueAuth.NONE, verifier, "the calls went untagged, with no trace context");
    }
    List<SpanData> all = spans.getFinishedSpanItems();
    assertEquals(2, all.size(), all.toString()); // the client's spans, still recorded
    all.forEach(s -> assertEquals(SpanKind.CLIENT, s.getKind()));
  }

  /** Answers with SUCCESS, an empty verifier and an empty string; records the verifier. */
  private static void answerPlainly(CallHeader call, ByteBuf reply, List<OpaqueAuth> verifiers) {
    verifiers.add(call.verifier());
    XdrWriter w = new XdrWriter(reply);
    RpcMessages.writeReply(w, ReplyHeader.accepted(call.xid(), RpcStatus.SUCCESS));
    if (call.procedure() != 0) {
      w.writeString("", 16);
    }
  }
}
