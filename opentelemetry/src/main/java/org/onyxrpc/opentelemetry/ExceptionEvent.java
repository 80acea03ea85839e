package org.onyxrpc.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import java.io.PrintWriter;
import java.io.Writer;

/** The {@code exception} event of a failed call's span, with what a caller may size bounded. */
final class ExceptionEvent {
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> EXCEPTION_STACKTRACE =
      AttributeKey.stringKey("exception.stacktrace");
  /** Longest exception message recorded, in characters. */
  static final int MAX_MESSAGE = 1024;
  /** Longest exception stack trace recorded, in characters. */
  static final int MAX_STACK_TRACE = 16 * 1024;

  private ExceptionEvent() {}

  /**
   * The attributes {@link Span#recordException} gives an exception, with its message cut at
   * {@value #MAX_MESSAGE} characters and its stack trace at {@value #MAX_STACK_TRACE}. A
   * procedure's exception may quote what the caller sent (a name it looked up; an interceptor's
   * reason, the principal's name): the span keeps it until it is exported, and the SDK cuts no
   * attribute by default, so the caller would choose how much each failed call's span holds.
   */
  static Attributes attributes(Throwable failure) {
    String message = failure.getMessage();
    AttributesBuilder attributes = Attributes.builder()
        .put(EXCEPTION_TYPE, type(failure.getClass()));
    if (message != null) {
      attributes.put(EXCEPTION_MESSAGE, message.length() <= MAX_MESSAGE ? message
          : message.substring(0, MAX_MESSAGE) + "... (" + message.length() + " characters)");
    }
    CappedWriter trace = new CappedWriter(MAX_STACK_TRACE);
    try (PrintWriter out = new PrintWriter(trace)) {
      failure.printStackTrace(out);
    }
    return attributes.put(EXCEPTION_STACKTRACE, trace.toString()).build();
  }

  /** As the SDK names it: the canonical name, or the binary one of a class that has none. */
  private static String type(Class<?> type) {
    String canonical = type.getCanonicalName();
    return canonical != null ? canonical : type.getName();
  }

  /** Keeps the first {@code capacity} characters written, and says how many more there were. */
  private static final class CappedWriter extends Writer {
    private final StringBuilder kept = new StringBuilder();
    private final int capacity;
    private long dropped;

    CappedWriter(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
      int room = Math.min(length, capacity - kept.length());
      kept.append(chars, offset, room);
      dropped += length - room;
    }

    @Override
    public void write(String text, int offset, int length) {
      int room = Math.min(length, capacity - kept.length());
      kept.append(text, offset, offset + room);
      dropped += length - room;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return dropped == 0 ? kept.toString() : kept + "... (" + dropped + " more characters)";
    }
  }
}
