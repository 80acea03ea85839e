package org.onyxrpc.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcStatus;

/**
 * Names and attributes of a call's span, per OpenTelemetry's RPC conventions: the span is
 * {@code service/method}. The service is the procedure's fully qualified {@link
 * Procedure#service()} where it is known (generated code's, such as {@code
 * com.example.calc.Calculator}, as the conventions want rpc.service), else the part of its name
 * before the last dot ({@code Service.method}), else the program number; the method is the part
 * after the dot.
 */
final class SpanNames {
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<Long> PROGRAM = AttributeKey.longKey("rpc.onc_rpc.program");
  static final AttributeKey<Long> VERSION = AttributeKey.longKey("rpc.onc_rpc.version");
  static final AttributeKey<Long> PROCEDURE = AttributeKey.longKey("rpc.onc_rpc.procedure");
  static final AttributeKey<String> STATUS = AttributeKey.stringKey("rpc.onc_rpc.status");
  /** The value of {@code rpc.system}. */
  static final String SYSTEM = "onc_rpc";

  private SpanNames() {}

  static String service(Procedure<?, ?> p) {
    if (p.service() != null) {
      return p.service();
    }
    int dot = p.name().lastIndexOf('.');
    return dot > 0 ? p.name().substring(0, dot) : Integer.toUnsignedString(p.program());
  }

  static String method(Procedure<?, ?> p) {
    int dot = p.name().lastIndexOf('.');
    return dot > 0 ? p.name().substring(dot + 1) : p.name();
  }

  static String spanName(Procedure<?, ?> p) {
    return service(p) + "/" + method(p);
  }

  /** A span named and described for a call to {@code p}: the attributes every call's span has. */
  static SpanBuilder callSpan(Tracer tracer, Procedure<?, ?> p, Context parent, SpanKind kind) {
    return tracer.spanBuilder(spanName(p)).setParent(parent).setSpanKind(kind)
        .setAttribute(RPC_SYSTEM, SYSTEM)
        .setAttribute(RPC_SERVICE, service(p))
        .setAttribute(RPC_METHOD, method(p))
        .setAttribute(PROGRAM, Integer.toUnsignedLong(p.program()))
        .setAttribute(VERSION, Integer.toUnsignedLong(p.version()))
        .setAttribute(PROCEDURE, Integer.toUnsignedLong(p.number()));
  }

  /** Records how the call ended: any status but SUCCESS is an error. */
  static void end(Span span, RpcStatus status, Throwable failure) {
    if (status != null) {
      span.setAttribute(STATUS, status.name());
    }
    if (status != RpcStatus.SUCCESS) {
      span.setStatus(StatusCode.ERROR, String.valueOf(status));
      if (failure != null) {
        span.addEvent("exception", ExceptionEvent.attributes(failure));
      }
    }
    span.end();
  }
}
