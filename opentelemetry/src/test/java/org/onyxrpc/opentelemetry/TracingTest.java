package org.onyxrpc.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.opentelemetry.api.common.AttributeKey;
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
  static final Procedure<String, Void> LOOK_UP =
      new Procedure<>(PROGRAM, 1, 3, "Traced.lookUp", XdrCodecs.STRING, XdrCodecs.VOID);

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
        .procedure(LOOK_UP, (name, ctx) -> {
          throw new IllegalArgumentException("no such name: " + name); // quotes the caller
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

  /**
   * A procedure's exception that quotes what the caller sent (here 200,000 characters) is
   * recorded on the server span cut short: the span waits in the exporter's queue with its
   * events, and a peer would otherwise choose how much each failed call keeps there. The
   * exception event keeps its type, the message's beginning and length, and the stack trace's
   * beginning. Failed before: the event's exception.message held all 200,014 characters, and
   * its exception.stacktrace as many and more.
   */
  @Test
  void anExceptionQuotingTheCallerIsRecordedCutShort() throws Exception {
    String sent = "x".repeat(200_000);
    try (RpcServer server = tracedServer();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .intercept(tracing.clientInterceptor()).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(LOOK_UP, sent));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status());
    }
    SpanData serverSpan = named(spans.getFinishedSpanItems(), "Traced/lookUp", SpanKind.SERVER);
    assertEquals(StatusCode.ERROR, serverSpan.getStatus().getStatusCode());
    List<io.opentelemetry.sdk.trace.data.EventData> events = serverSpan.getEvents();
    assertEquals(1, events.size(), events.toString());
    io.opentelemetry.api.common.Attributes attributes = events.get(0).getAttributes();
    assertEquals("exception", events.get(0).getName());
    assertEquals(IllegalArgumentException.class.getName(),
        attributes.get(AttributeKey.stringKey("exception.type")));
    String message = attributes.get(AttributeKey.stringKey("exception.message"));
    assertTrue(message.length() <= ExceptionEvent.MAX_MESSAGE + 32, "" + message.length());
    assertEquals("no such name: " + "x".repeat(ExceptionEvent.MAX_MESSAGE - 14)
        + "... (200014 characters)", message);
    String stack = attributes.get(AttributeKey.stringKey("exception.stacktrace"));
    assertTrue(stack.startsWith(IllegalArgumentException.class.getName() + ": no such name: xxx"),
        stack);
    assertTrue(stack.length() <= ExceptionEvent.MAX_STACK_TRACE + 64, "" + stack.length());
  }

  /**
   * A client's trace context is whatever it sent: a traceparent that is not one (bad hex, the
   * all-zero ids W3C calls invalid, a version byte of ff, a value at CallMetadata's longest) and
   * a tracestate at its longest beside it. Each call is answered, and its server span starts a
   * trace of its own rather than joining one the client made up: no exception reaches the
   * server's I/O thread, where a direct procedure's interceptors run.
   */
  @Test
  void aMalformedTraceContextStartsATraceOfItsOwn() throws Exception {
    List<String> parents = List.of(
        "00-" + "z".repeat(32) + "-" + "0".repeat(15) + "1-01",
        "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01",
        "ff-" + "1".repeat(32) + "-" + "1".repeat(16) + "-01",
        "00-" + "1".repeat(32) + "-" + "1".repeat(16) + "-01-" + "x".repeat(200),
        "~".repeat(org.onyxrpc.rpc.CallMetadata.MAX_VALUE_CHARS),
        VALID_PARENT); // the control: a context that is one is joined, so the others got there too
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    try (RpcServer server = tracedServer();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .intercept(call -> call.metadata()
                .put("traceparent", parents.get(next.getAndIncrement() % parents.size()))
                .put("tracestate", "k=" + "v".repeat(40)))
            .build()) {
      for (int i = 0; i < parents.size(); i++) {
        assertEquals("hi" + i, client.call(ECHO, "hi" + i), parents.get(i));
      }
    }
    List<SpanData> servers = spans.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.SERVER).toList();
    assertEquals(parents.size(), servers.size(), servers.toString());
    for (SpanData s : servers) {
      boolean control = s.getTraceId().equals("1".repeat(32));
      assertEquals(control, s.getParentSpanContext().isValid(), "joined a made-up trace: " + s);
    }
    assertEquals(1, servers.stream().filter(s -> s.getParentSpanContext().isValid()).count());
  }

  private static final String VALID_PARENT = "00-" + "1".repeat(32) + "-" + "1".repeat(16) + "-01";

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
