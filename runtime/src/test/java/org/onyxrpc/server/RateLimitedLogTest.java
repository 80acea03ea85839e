package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** 20,000 refused connections write a line per interval, not 20,000 (on an injected clock). */
class RateLimitedLogTest {
  /** A logger that keeps the lines it is given. */
  private static final class Lines extends LegacyAbstractLogger {
    final List<String> lines = new ArrayList<>();

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String format,
        Object[] args, Throwable t) {
      lines.add(level + " " + MessageFormatter.basicArrayFormat(format, args)
          + (t == null ? "" : " / " + t.getMessage()));
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }

  @Test
  void theFirstLineThenOneLinePerIntervalWithTheCountLeftOut() {
    AtomicLong now = new AtomicLong();
    RateLimitedLog log = new RateLimitedLog(Duration.ofSeconds(10), now::get);
    Lines out = new Lines();
    for (int i = 0; i < 20_000; i++) {
      log.warn(out, "refusing {}", "peer" + i);
    }
    assertEquals(List.of("WARN refusing peer0"), out.lines);
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    log.warn(out, "refusing {}", "late");
    log.warn(out, "refusing {}", "later");
    assertEquals(List.of("WARN refusing peer0",
        "WARN refusing late (19999 similar lines left out)"), out.lines);
  }

  @Test
  void errorsAreLimitedTooAndKeepTheirException() {
    AtomicLong now = new AtomicLong();
    RateLimitedLog log = new RateLimitedLog(Duration.ofSeconds(10), now::get);
    Lines out = new Lines();
    for (int i = 0; i < 1_000; i++) { // out of memory, call after call
      log.error(out, "out of resources encoding {}", "call" + i, new OutOfMemoryError("direct"));
    }
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    log.error(out, "out of resources encoding {}", "late", new OutOfMemoryError("direct"));
    assertEquals(List.of("ERROR out of resources encoding call0 / direct",
        "ERROR out of resources encoding late (999 similar lines left out) / direct"), out.lines);
  }

  @Test
  void theDefaultBufferBudgetsLeaveHalfOfASmallDirectMemory() {
    assertEquals(64L << 20, RpcServerBuilder.defaultMaxBufferedBytes(256L << 20));
    assertEquals(RpcServerBuilder.DEFAULT_MAX_BUFFERED_BYTES,
        RpcServerBuilder.defaultMaxBufferedBytes(8L << 30));
    assertEquals(RpcServerBuilder.DEFAULT_MAX_BUFFERED_BYTES,
        RpcServerBuilder.defaultMaxBufferedBytes(-1)); // unknown
  }
}
