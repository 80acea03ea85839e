package org.onyxrpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * 20,000 refused connections write a line per interval, not 20,000; a client that keeps failing
 * to reach its server (a lease renewed every second with a directory that is down) writes one
 * line of a kind per interval, the next saying how many were left out (on an injected clock). A
 * line stays one line whatever its arguments print: a peer cannot write lines of its own.
 */
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
      return true;
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
  void aLinePerIntervalSayingHowManyWereLeftOut() {
    AtomicLong now = new AtomicLong();
    Lines out = new Lines();
    RateLimitedLog notSent = new RateLimitedLog(Duration.ofSeconds(10), now::get);
    for (int second = 0; second < 10; second++) { // a renewal a second, each failing
      notSent.info(out, "{} to {}: not sent: {}", "Directory.register", "tcp localhost:111", "refused");
      now.addAndGet(1_000_000_000L);
    }
    assertEquals(List.of("INFO Directory.register to tcp localhost:111: not sent: refused"), out.lines);
    notSent.info(out, "{} to {}: not sent: {}", "Directory.register", "tcp localhost:111", "refused");
    assertEquals(List.of("INFO Directory.register to tcp localhost:111: not sent: refused",
        "INFO Directory.register to tcp localhost:111: not sent: refused (9 similar lines left out)"),
        out.lines);
  }

  @Test
  void eachKindHasItsOwnInterval() {
    AtomicLong now = new AtomicLong();
    Lines out = new Lines();
    RateLimitedLog notSent = new RateLimitedLog(Duration.ofSeconds(10), now::get);
    RateLimitedLog lost = new RateLimitedLog(Duration.ofSeconds(10), now::get);
    notSent.info(out, "not sent");
    lost.info(out, "lost");
    notSent.info(out, "not sent");
    assertEquals(List.of("INFO not sent", "INFO lost"), out.lines);
  }

  @Test
  void whatAPeerSentIsLoggedOnOneLine() {
    Lines out = new Lines();
    RateLimitedLog garbage = new RateLimitedLog(Duration.ofSeconds(10), () -> 0);
    // As the directory's register decoder quoted a service name over its bound, and a Unix-domain
    // peer's address prints its socket path: both chosen by the peer, newlines included.
    String forged = "x\n2026-12-02 23:00:00 [main] ERROR Forged - written by a peer\r\u2028\u001b[31m";
    garbage.warn(out, "garbage arguments from {}: {}", "/tmp/a\nb.sock",
        new IllegalArgumentException("directory entry over its bounds: " + forged).toString());
    assertEquals(List.of("WARN garbage arguments from /tmp/a\\x0ab.sock: "
        + "java.lang.IllegalArgumentException: directory entry over its bounds: "
        + "x\\x0a2026-12-02 23:00:00 [main] ERROR Forged - written by a peer\\x0d\\u2028\\x1b[31m"),
        out.lines);
    RateLimitedLog failing = new RateLimitedLog(Duration.ofSeconds(10), () -> 0);
    failing.error(out, "out of resources for {}", "a\tb", new OutOfMemoryError("direct\nmemory"));
    assertEquals("ERROR out of resources for a\\x09b / direct\nmemory", out.lines.get(1),
        "the line's own exception is the logger's to print");
  }

  /**
   * A string's byte that is not UTF-8 reaches Java as a lone surrogate (U+DCE9 for Latin-1's é),
   * which a log printed raw would show as '?': escaped, as a control character is. A pair is one
   * character, quoted as it came.
   */
  @Test
  void anExceptionWithoutAMessageIsNamedByItsClass() {
    assertEquals("ClosedChannelException", RateLimitedLog.shortMessage(new ClosedChannelException()));
    assertEquals("refused", RateLimitedLog.shortMessage(new IOException("refused")));
  }

  @Test
  void bytesThatAreNotUtf8AreEscapedAndPairsAreNot() {
    assertEquals("caf\\udce9 \ud83d\ude00 \\ud83d. \\ude00\\x0a",
        RateLimitedLog.escaped("caf\udce9 \ud83d\ude00 \ud83d. \ude00\n"));
    assertEquals("\\udc80\ud83d\ude00", RateLimitedLog.escaped("\udc80\ud83d\ude00"));
    assertEquals("caf\u00e9 \ud83d\ude00", RateLimitedLog.escaped("caf\u00e9 \ud83d\ude00"));
  }

  @Test
  void debugLinesQuotingAPeerAreEachLoggedOnOneLine() {
    Lines out = new Lines();
    String forged = "x\n2026-12-02 23:00:00 [main] ERROR Forged - written by a peer";
    for (int i = 0; i < 2; i++) { // DEBUG is asked for: every line, not one per interval
      RateLimitedLog.debugOneLine(out, "garbage arguments from {}: {}", "/tmp/a\nb.sock", forged,
          new IllegalStateException("kept"));
    }
    assertEquals(List.of(
        "DEBUG garbage arguments from /tmp/a\\x0ab.sock: x\\x0a2026-12-02 23:00:00 [main] ERROR Forged"
            + " - written by a peer / kept",
        "DEBUG garbage arguments from /tmp/a\\x0ab.sock: x\\x0a2026-12-02 23:00:00 [main] ERROR Forged"
            + " - written by a peer / kept"), out.lines);
  }
}
