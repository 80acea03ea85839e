package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A client that keeps failing to reach its server (a server renewing its lease every second
 * with a directory that is down wrote two lines a second, for as long as it was down) writes one
 * line of a kind per interval, the next saying how many were left out (on an injected clock).
 */
class RepeatedLinesTest {
  /** A logger at INFO that keeps the lines it is given. */
  private static final class Lines extends LegacyAbstractLogger {
    final List<String> lines = new ArrayList<>();

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String format,
        Object[] args, Throwable t) {
      lines.add(level + " " + MessageFormatter.basicArrayFormat(format, args));
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
  void aLinePerIntervalSayingHowManyWereLeftOut() {
    AtomicLong now = new AtomicLong();
    Lines out = new Lines();
    RepeatedLines notSent = new RepeatedLines(out, now::get);
    for (int second = 0; second < 10; second++) { // a renewal a second, each failing
      notSent.info("{} to {}: not sent: {}", "Directory.register", "tcp localhost:111", "refused");
      now.addAndGet(1_000_000_000L);
    }
    assertEquals(List.of("INFO Directory.register to tcp localhost:111: not sent: refused"), out.lines);
    notSent.info("{} to {}: not sent: {}", "Directory.register", "tcp localhost:111", "refused");
    assertEquals(List.of("INFO Directory.register to tcp localhost:111: not sent: refused",
        "INFO Directory.register to tcp localhost:111: not sent: refused (9 similar lines left out)"),
        out.lines);
  }

  @Test
  void eachKindHasItsOwnInterval() {
    AtomicLong now = new AtomicLong();
    Lines out = new Lines();
    RepeatedLines notSent = new RepeatedLines(out, now::get);
    RepeatedLines lost = new RepeatedLines(out, now::get);
    notSent.info("not sent");
    lost.info("lost");
    notSent.info("not sent");
    assertEquals(List.of("INFO not sent", "INFO lost"), out.lines);
  }
}
